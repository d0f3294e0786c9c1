"""kessan: a listed company's published results as a tested DuckDB warehouse (dbt project at the repo root)."""
