{% test period_fits_line_item(model, line_items, seed=none, figure=none) %}
{#-
    A flow (a line item of period_kind `duration`) is printed for a fiscal period, a stock (`instant`) at a date:
    fails every figure of `model` whose period is a date while its line item is a duration, or a fiscal period
    while its line item is an instant (the figure would leave its statement: a dated flow turns into a stock
    with no fiscal year). Returns the whole row, led by its seed, CSV line, figure and a message naming the
    period and the line item's kind. Figures whose period or line item is unknown are left to their own tests.
    Documented in tests/generic/_generic_tests.yml.
-#}
{%- set seed = seed_row_test_seed('period_fits_line_item', model, seed) -%}
{%- set figure = seed_row_test_figure(figure, seed) -%}

with

tested as (

    select
        {{ figure }} as figure,
        *
    from {{ model }}

),

line_items as (

    select
        line_item_id as kind_line_item_id,
        period_kind
    from {{ line_items }}

),

failing as (

    select
        '{{ seed }}' as seed_name,
        tested.seed_line,
        tested.figure,
        '{{ seed }}.csv line ' || tested.seed_line || ': ' || tested.figure || ': period '
        || chr(39) || tested.period_code || chr(39)
        || case
            when line_items.period_kind = 'duration'
                then ' is a date, but line item ' || tested.line_item_id
                    || ' is a flow (period_kind duration): give its fiscal period (FY2017, FY2017-H1, FY2017-Q1)'
            else ' is a fiscal period, but line item ' || tested.line_item_id
                || ' is a stock (period_kind instant): give the date it is at (2018-03-31)'
        end as message,
        line_items.period_kind,
        {{ star_except(model, ['seed_line', 'figure'], 'tested') }}
    from tested
    inner join line_items
        on tested.line_item_id = line_items.kind_line_item_id
    where
        (line_items.period_kind = 'duration' and tested.period_grain = 'instant')
        or (line_items.period_kind = 'instant' and tested.period_grain in ('fiscal_year', 'fiscal_half', 'fiscal_quarter'))

)

select * from failing

{% endtest %}
