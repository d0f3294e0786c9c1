-- Every unit of the `units` seed converts with its multiplier; an unknown unit gives NULL. A unit whose multiplier
-- is no number is left to seed_text_is_typed, which names its line: this test reads the seed, so its failure would
-- skip every model that reads the seed, and that test with them.
with

cases as (

    select * from (
        values
        (176.1, 'jpy_billion', 176100.0),
        (36179.0, 'jpy_million', 36179.0),
        (1760.5, 'jpy_100_million', 176050.0),
        (176051000.0, 'jpy_thousand', 176051.0),
        (-1234.0, 'jpy_thousand', -1.234),
        (11.6, 'percent', 0.116),
        (0.4, 'percentage_points', 0.004),
        (1340.0, 'thousand', 1340000.0),
        (2.3, 'million', 2300000.0),
        (27.0, 'jpy', 27.0),
        (137.0, 'count', 137.0),
        (1.0, 'furlongs', null)
    ) as t (printed, unit_id, expected)

),

converted as (

    select
        *,
        {{ to_base_unit('printed', 'unit_id') }} as actual
    from cases

)

select * from converted
where
    actual is distinct from expected
    and unit_id not in (
        select unit_id from {{ ref('units') }}
        where {{ seed_typed('to_base_multiplier', 'decimal(18, 6)') }} is null
    )
