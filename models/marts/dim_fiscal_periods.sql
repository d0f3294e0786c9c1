-- The fiscal calendar BI tools join every fact to.
select * from {{ ref('int_fiscal_periods') }}
{{ for_changed_companies() }}
