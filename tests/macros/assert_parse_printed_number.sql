-- The printed-number parser on every form the documents use, and on malformed input (-> NULL).
with

cases as (

    select * from (
        values
        ('36,179', 36179.0),
        ('(556)', -556.0),
        ('(1,897)', -1897.0),
        ('+4,447', 4447.0),
        ('+13.2%', 13.2),
        ('-15.2%', -15.2),
        ('176.1', 176.1),
        ('27.00', 27.0),
        ('-', 0.0),
        (' 43.5 ', 43.5),
        ('86.4', 86.4),
        ('1,2,3', null),
        ('12a', null),
        ('', null),
        ('(12', null),
        ('1,0000', null),
        ('--5', null)
    ) as t (printed, expected)

),

parsed as (

    select
        printed,
        expected,
        {{ parse_printed_number('printed') }} as actual
    from cases

)

select * from parsed
where actual is distinct from cast(expected as decimal(18, 4))
