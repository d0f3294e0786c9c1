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
        (' 43.5 ', 43.5),
        ('86.4', 86.4),
        -- Japanese printing conventions: ▲ and △ are a minus; full-width digits, comma, period, signs,
        -- percent, parentheses and spaces read as their ASCII forms.
        ('▲1,234', -1234.0),
        ('△1,234', -1234.0),
        ('△ 1,234', -1234.0),
        ('▲0.4%', -0.4),
        ('１２３，４５６', 123456.0),
        ('１７６．１', 176.1),
        ('－１５．２％', -15.2),
        ('−15.2%', -15.2),
        ('＋１３．２％', 13.2),
        ('＋4,447', 4447.0),
        ('（５５６）', -556.0),
        ('(１，８９７)', -1897.0),
        ('　３６，１７９　', 36179.0),
        ('▲　１，２３４', -1234.0),
        -- A lone dash is no number by itself (the seed row's qualifier says nil or not meaningful).
        ('-', null),
        ('－', null),
        ('−', null),
        ('―', null),
        ('—', null),
        (' - ', null),
        -- Malformed: NULL, so that printed_value_is_a_number names the seed row.
        -- 14 digits before the point is the most DECIMAL(18, 4) holds; more is out of range (NULL), not an error.
        ('99,999,999,999,999.5', 99999999999999.5),
        ('(12345678901234)', -12345678901234.0),
        ('1,000,000,000,000,000', null),
        ('123456789012345', null),
        ('１２３，４５６，７８９，０１２，３４５', null),
        ('1,2,3', null),
        ('12a', null),
        ('', null),
        ('(12', null),
        ('1,0000', null),
        ('--5', null),
        ('▲', null),
        ('▲▲5', null),
        ('▲-5', null),
        ('△(556)', null),
        ('１，２，３', null),
        ('１２ａ', null),
        ('１　２３４', null),
        ('1 234', null),
        ('5▲', null),
        ('▲ ', null),
        ('％', null),
        ('（１２', null)
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
