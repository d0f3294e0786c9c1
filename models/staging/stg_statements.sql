with

source as (

    {{ seed_source('statements') }}

),

renamed as (

    select
        statement,
        label as statement_label,
        expectation_suite,
        seed_row + 1 as seed_line
    from source

)

select * from renamed
