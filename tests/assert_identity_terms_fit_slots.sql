-- Every identity has at most identity_term_slots() terms: int_checks_defined_identities keeps the figures
-- each term used in that many slots, and a term beyond them would lose its figures from the check's
-- `derived_from_figure_ids`. One row per identity with too many terms.
select
    'identity_terms' as seed_name,
    identity_id as figure,
    'identity ' || identity_id || ' has ' || count(*) || ' terms; int_checks_defined_identities keeps '
    || {{ identity_term_slots() }} || ': raise identity_term_slots() in macros/identity_term_slots.sql' as message
from {{ ref('stg_identity_terms') }}
group by identity_id
having count(*) > {{ identity_term_slots() }}
