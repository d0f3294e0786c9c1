"""`target` for sqlfluff: the DuckDB build target."""

name = "build"
type = "duckdb"
schema = "main"
