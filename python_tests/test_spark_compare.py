"""The comparison `make build-spark` makes between the Spark marts and DuckDB's (kessan.dev.spark_build), on small
tables: it names the table, key and column of every difference and lets nothing through but DOUBLE noise.
(`make build-spark` itself runs the Spark build: CI, after `make test`.)"""

from __future__ import annotations

from decimal import Decimal

from kessan.dev.spark_build import Table, compare_table, spark_type

COLUMNS = ["fiscal_period_id", "revenue", "gross_margin_ratio", "period_label"]
TYPES = ["string", "decimal(18,1)", "double", "string"]


def table(*rows: tuple) -> Table:
    return Table(COLUMNS, TYPES, list(rows))


DUCKDB = table(
    ("iij:FY2017-Q1", Decimal("41904.0"), 0.1270, "1Q17"),
    ("iij:FY2017-Q2", Decimal("43559.0"), 0.1369, "2Q17"),
)


def test_identical_tables_and_double_noise_pass() -> None:
    spark = table(
        ("iij:FY2017-Q2", Decimal("43559.0"), 0.1369 + 1e-15, "2Q17"),
        ("iij:FY2017-Q1", Decimal("41904.0"), 0.1270, "1Q17"),
    )
    assert compare_table("fct_income_statement_quarterly", "fiscal_period_id", DUCKDB, spark) == []


def test_money_differs_by_a_tenth_names_table_key_and_column() -> None:
    spark = table(
        ("iij:FY2017-Q1", Decimal("41904.1"), 0.1270, "1Q17"),
        ("iij:FY2017-Q2", Decimal("43559.0"), 0.1369, "2Q17"),
    )
    differences = compare_table("fct_income_statement_quarterly", "fiscal_period_id", DUCKDB, spark)
    assert len(differences) == 1
    assert "fct_income_statement_quarterly" in differences[0]
    assert "'iij:FY2017-Q1'" in differences[0] and "column revenue" in differences[0]
    assert "41904.0" in differences[0] and "41904.1" in differences[0]


def test_a_double_beyond_the_tolerance_a_null_and_a_text_differ() -> None:
    spark = table(
        ("iij:FY2017-Q1", Decimal("41904.0"), 0.1270 + 1e-8, "1Q17"),
        ("iij:FY2017-Q2", None, 0.1369, "2Q18"),
    )
    differences = compare_table("t", "fiscal_period_id", DUCKDB, spark)
    assert [difference.split("column ")[1].split(":")[0] for difference in differences] == [
        "gross_margin_ratio",
        "revenue",
        "period_label",
    ]


def test_missing_and_extra_keys_types_and_columns() -> None:
    spark = table(("iij:FY2017-Q1", Decimal("41904.0"), 0.1270, "1Q17"), ("iij:FY2017-Q3", None, None, "3Q17"))
    differences = compare_table("t", "fiscal_period_id", DUCKDB, spark)
    assert any("'iij:FY2017-Q2': on DuckDB only" in difference for difference in differences)
    assert any("'iij:FY2017-Q3': on Spark only" in difference for difference in differences)
    retyped = Table(COLUMNS, ["string", "decimal(38,6)", "double", "string"], DUCKDB.rows)
    assert compare_table("t", "fiscal_period_id", DUCKDB, retyped) == [
        "t: column revenue is decimal(18,1) on DuckDB, decimal(38,6) on Spark"
    ]
    renamed = Table([*COLUMNS[:3], "label"], TYPES, DUCKDB.rows)
    assert "columns differ" in compare_table("t", "fiscal_period_id", DUCKDB, renamed)[0]


def test_a_table_without_a_key_compares_its_rows_as_a_multiset() -> None:
    assert compare_table("t", None, DUCKDB, table(*reversed(DUCKDB.rows))) == []
    differences = compare_table("t", None, DUCKDB, table(DUCKDB.rows[0]))
    assert differences == ["t: 2 rows on DuckDB, 1 on Spark"]


def test_build_identity_columns_are_not_compared() -> None:
    columns, types = ["check_id", "build_id", "status"], ["string", "string", "string"]
    duckdb = Table(columns, types, [("c1", "duckdb-invocation", "pass")])
    spark = Table(columns, types, [("c1", "spark-invocation", "pass")])
    assert compare_table("rpt_data_quality", "check_id", duckdb, spark) == []
    failing = Table(columns, types, [("c1", "spark-invocation", "fail")])
    assert compare_table("rpt_data_quality", "check_id", duckdb, failing) == [
        "rpt_data_quality, check_id = 'c1', column status: DuckDB 'pass', Spark 'fail'"
    ]


def test_duckdb_types_in_spark_spelling() -> None:
    assert [spark_type(t) for t in ("VARCHAR", "DECIMAL(18,1)", "INTEGER", "BIGINT", "TIMESTAMP", "DATE")] == [
        "string",
        "decimal(18,1)",
        "int",
        "bigint",
        "timestamp_ntz",
        "date",
    ]
