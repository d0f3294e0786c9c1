with

source as (

    select * from {{ ref('statements') }}

),

renamed as (

    select
        statement,
        label as statement_label,
        expectation_suite
    from source

)

select * from renamed
