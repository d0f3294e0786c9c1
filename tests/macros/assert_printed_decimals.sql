-- The precision of a printed number is the count of its decimals.
with

cases as (

    select * from (
        values
        ('36,179', 0), ('176.1', 1), ('27.00', 2), ('+13.2%', 1), ('(1,897)', 0), ('-', 0),
        -- Decimals of the normalised text: full-width period and digits, ▲ / △ negatives, full-width signs.
        ('１７６．１', 1), ('２７．００', 2), ('▲0.4', 1), ('△１，２３４', 0), ('－１５．２％', 1), ('（１．８９７）', 3),
        ('＋１３．２％', 1), ('　４３．５　', 1), ('－', 0), ('―', 0)
    ) as t (printed, expected)

),

parsed as (

    select
        printed,
        expected,
        {{ printed_decimals('printed') }} as actual
    from cases

)

select * from parsed
where actual != expected
