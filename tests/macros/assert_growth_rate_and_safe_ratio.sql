-- Growth over a zero, negative or missing base is NULL; a ratio over zero is NULL.
with

cases as (

    select * from (
        values
        (125.0, 100.0, 0.25, 1.25),
        (50.0, 100.0, -0.5, 0.5),
        (10.0, 0.0, null, null),
        (10.0, -20.0, null, -0.5),
        (null, 100.0, null, null),
        (10.0, null, null, null)
    ) as t (current_value, base_value, expected_growth, expected_ratio)

),

computed as (

    select
        *,
        {{ growth_rate('current_value', 'base_value') }} as growth,
        {{ safe_ratio('current_value', 'base_value') }} as ratio
    from cases

)

select * from computed
where growth is distinct from expected_growth or ratio is distinct from expected_ratio
