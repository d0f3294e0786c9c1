"""Python tests of the kessan project (dbt's own tests are in tests/)."""
