-- One row per company, with the fiscal calendar its periods follow.
select * from {{ ref('stg_companies') }}
