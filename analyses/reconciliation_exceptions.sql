-- Printed figures the document's own arithmetic does not support, and any check that fails.
select
    company_id,
    period_code,
    line_item_id,
    identity_id,
    reported_value,
    derived_value,
    residual,
    tolerance,
    status,
    exception_reason
from {{ ref('rpt_data_quality') }}
where status != 'pass'
order by company_id, period_code, line_item_id
