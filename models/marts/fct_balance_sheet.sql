-- One row per company, balance-sheet date and line: the amount, its change over the year (computed
-- and as printed), on a total the part its listed lines do not explain, and the date's equity ratio,
-- implied noncontrolling interests (and their change), average equity and ROE, repeated on each line of that
-- date for BI convenience.
with

line_items as (

    select * from {{ ref('dim_line_items') }}
    where statement = 'balance_sheet' and period_kind = 'instant'

),

figure_values as (

    select * from {{ ref('int_figure_values') }}
    where scenario = 'actual' and period_grain = 'instant'
        {{ for_changed_companies(keyword='and') }}

),

period_values as (

    select * from {{ ref('int_period_values') }}
    where scenario = 'actual'
        {{ for_changed_companies(keyword='and') }}

),

fiscal_periods as (

    select * from {{ ref('dim_fiscal_periods') }}
    {{ for_changed_companies() }}

),

amounts as (

    select
        figure_values.company_id,
        figure_values.as_of_date,
        figure_values.period_code,
        figure_values.fiscal_period_id,
        figure_values.prior_year_period_code,
        figure_values.line_item_id,
        line_items.line_item_label,
        line_items.parent_line_item_id,
        line_items.display_order,
        line_items.is_subtotal,
        line_items.sign,
        figure_values.value as amount,
        figure_values.slide_id
    from figure_values
    inner join line_items
        on figure_values.line_item_id = line_items.line_item_id
    where figure_values.basis = 'value' and figure_values.base_unit_id = 'jpy_million'

),

-- What a total's listed lines add up to (each with its sign), at each date.
itemised as (

    select
        company_id,
        period_code,
        parent_line_item_id as line_item_id,
        sum(sign * amount) as itemised_amount
    from amounts
    where parent_line_item_id is not null
    group by company_id, period_code, parent_line_item_id

),

dated_totals as (

    select
        company_id,
        period_code,
        {{ pivot_values(['total_assets', 'total_liabilities', 'total_shareholders_equity']) }},
        {{ pivot_values(['equity_ratio'], suffix='_reported') }}
    from period_values
    group by all

),

-- ROE for the fiscal year ending at the date: net income attributable to IIJ over the average of
-- IIJ shareholders' equity at the year's start and end.
year_returns as (

    select
        cast(fiscal_periods.end_date as string) as period_code,
        fiscal_periods.company_id,
        {{ pivot_values(['net_income_attributable']) }},
        {{ pivot_values(['roe'], suffix='_reported') }}
    from fiscal_periods
    inner join period_values
        on
            fiscal_periods.company_id = period_values.company_id
            and fiscal_periods.period_code = period_values.period_code
    where fiscal_periods.period_grain = 'fiscal_year'
    group by all

),

measured as (

    select
        amounts.*,
        prior_year.amount as prior_year_amount,
        amounts.amount - prior_year.amount as change,
        -- A total less its listed lines: the lines the document does not itemise (other assets, ...).
        amounts.amount - itemised.itemised_amount as unitemised_amount,
        change_reported.value as change_reported,
        dated_totals.total_assets,
        dated_totals.total_liabilities,
        dated_totals.total_shareholders_equity,
        {{ safe_ratio('dated_totals.total_shareholders_equity', 'dated_totals.total_assets') }} as equity_ratio,
        dated_totals.equity_ratio_reported,
        -- Total assets less total liabilities less IIJ's equity: what belongs to noncontrolling interests.
        dated_totals.total_assets - dated_totals.total_liabilities - dated_totals.total_shareholders_equity
            as noncontrolling_interests_implied,
        dated_totals.total_assets - dated_totals.total_liabilities - dated_totals.total_shareholders_equity
        - (opening_totals.total_assets - opening_totals.total_liabilities - opening_totals.total_shareholders_equity)
            as noncontrolling_interests_implied_change,
        (dated_totals.total_shareholders_equity + opening_totals.total_shareholders_equity) / 2
            as average_shareholders_equity,
        {{ safe_ratio(
            'year_returns.net_income_attributable',
            '(dated_totals.total_shareholders_equity + opening_totals.total_shareholders_equity) / 2'
        ) }} as roe,
        {{ safe_ratio('year_returns.net_income_attributable', 'dated_totals.total_shareholders_equity') }}
            as roe_on_ending_equity,
        year_returns.roe_reported
    from amounts
    left join amounts as prior_year
        on
            amounts.company_id = prior_year.company_id
            and amounts.line_item_id = prior_year.line_item_id
            and amounts.prior_year_period_code = prior_year.period_code
    left join figure_values as change_reported
        on
            amounts.company_id = change_reported.company_id
            and amounts.line_item_id = change_reported.line_item_id
            and amounts.period_code = change_reported.period_code
            and change_reported.basis = 'yoy_change'
    left join itemised
        on
            amounts.company_id = itemised.company_id
            and amounts.period_code = itemised.period_code
            and amounts.line_item_id = itemised.line_item_id
    left join dated_totals
        on
            amounts.company_id = dated_totals.company_id
            and amounts.period_code = dated_totals.period_code
    left join dated_totals as opening_totals
        on
            amounts.company_id = opening_totals.company_id
            and amounts.prior_year_period_code = opening_totals.period_code
    left join year_returns
        on
            amounts.company_id = year_returns.company_id
            and amounts.period_code = year_returns.period_code

),

final as (

    select
        company_id || ':' || period_code || ':' || line_item_id as balance_sheet_line_id,
        company_id,
        as_of_date,
        fiscal_period_id,
        line_item_id,
        line_item_label,
        parent_line_item_id,
        display_order,
        is_subtotal,
        cast(amount as decimal(18, 1)) as amount,
        cast(prior_year_amount as decimal(18, 1)) as prior_year_amount,
        cast(change as decimal(18, 1)) as change,
        cast(change_reported as decimal(18, 1)) as change_reported,
        cast(unitemised_amount as decimal(18, 1)) as unitemised_amount,
        equity_ratio,
        cast(equity_ratio_reported as decimal(10, 4)) as equity_ratio_reported,
        cast(noncontrolling_interests_implied as decimal(18, 1)) as noncontrolling_interests_implied,
        cast(noncontrolling_interests_implied_change as decimal(18, 1)) as noncontrolling_interests_implied_change,
        cast(average_shareholders_equity as decimal(18, 1)) as average_shareholders_equity,
        roe,
        roe_on_ending_equity,
        cast(roe_reported as decimal(10, 4)) as roe_reported,
        slide_id
    from measured

)

select * from final
