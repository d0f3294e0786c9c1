"""The report's numbers as the deck prints them, and its tables of numbers (each downloadable as CSV).

Formatting (every table cell and every label of the report):
- amounts in JPY million with thousands separators and no decimal unless the value has one, then one
  (191,223; 43.5); counts likewise, without decimals (2,300,000); JPY per share with its two decimals (27.00);
- ratios and growth in percent with one decimal (47.7%); a change (YoY or QoQ growth, YoY change of an amount)
  carries its sign (+18.7%, +4,447, -556);
- a negative number has a minus sign ("-556"), everywhere. The deck prints negative amounts in parentheses
  ("(556)") and negative percentages with a minus ("-15.2%"); the report uses the minus for both, so that one
  convention holds in every column and a CSV opens as numbers;
- a missing figure is "n/a".

A table (`Table`) is columns and rows of cells; each cell knows its value, how it is formatted and, where it
is a number of the warehouse, the relation row and column it comes from (so a test can compare it with the
warehouse). Its CSV has a header of the column names and the cells' values at full precision, as a `data:`
link: no network, no script.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

MISSING = "n/a"
MINUS = "-"  # the one sign of a negative number (see above)


def data_value(value: Any) -> str:
    """A number as the page records it (data-value, data-raw, CSV): the warehouse's value, exactly."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return repr(float(value)) if isinstance(value, float) else str(value)


def _decimal(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(repr(value) if isinstance(value, float) else str(value))
    except InvalidOperation as error:
        raise ValueError(f"not a number: {value!r}") from error


def _signed(magnitude: str, negative: bool, signed: bool) -> str:
    if negative:
        return MINUS + magnitude
    return ("+" if signed else "") + magnitude


def amount(value: Any, signed: bool = False) -> str:
    """JPY million: 191,223 / 43.5 / -556 (+4,447 when `signed`)."""
    if value is None:
        return MISSING
    number = _decimal(value)
    decimals = 1 if number != number.to_integral_value() else 0
    text = f"{abs(number):,.{decimals}f}"
    zero = set(text) <= set("0.,")
    return _signed(text, number < 0 and not zero, signed and not zero)


def count(value: Any, signed: bool = False) -> str:
    """A count, whole: 2,300,000 (+13 when `signed`)."""
    if value is None:
        return MISSING
    number = _decimal(value)
    text = f"{abs(number):,.0f}"
    zero = text == "0"
    return _signed(text, number < 0 and not zero, signed and not zero)


def yen(value: Any) -> str:
    """JPY (per share): 27.00."""
    return MISSING if value is None else _signed(f"{abs(_decimal(value)):,.2f}", _decimal(value) < 0, False)


def percent(value: Any, signed: bool = False) -> str:
    """A fraction in percent with one decimal: 0.477 -> 47.7% (+18.7% when `signed`); 0.0 is 0.0%, unsigned."""
    if value is None:
        return MISSING
    number = _decimal(value) * 100
    text = f"{abs(number):,.1f}%"
    zero = text == "0.0%"
    return _signed(text, number < 0 and not zero, signed and not zero)


def flag(value: Any) -> str:
    return MISSING if value is None else ("yes" if value else "no")


def plain(value: Any) -> str:
    return "" if value is None else str(value)


# Formats by name: a cell's `data-format`, which python_tests/test_report.py checks against the rules above.
FORMATS = {
    "amount": amount,
    "change": lambda value: amount(value, signed=True),
    "count": count,
    "count_change": lambda value: count(value, signed=True),
    "yen": yen,
    "percent": percent,
    "growth": lambda value: percent(value, signed=True),
    "flag": flag,
    "text": plain,
}
# A KPI's value and YoY change are formatted by its unit (fct_operating_kpis.unit_id).
UNIT_FORMATS = {"jpy_million": "amount", "count": "count", "fraction": "percent", "jpy": "yen"}
UNIT_CHANGE_FORMATS = {"jpy_million": "change", "count": "count_change", "fraction": "growth", "jpy": "yen"}


@dataclass(frozen=True)
class Column:
    """A column: its name (the CSV header), its heading and the format of its cells."""

    name: str
    label: str
    format: str = "amount"


@dataclass(frozen=True)
class Cell:
    """A value, and where it comes from: the row (its key) and column of the table's source relation."""

    value: Any
    row_id: str | None = None  # the source relation's key of the row the value is read from
    column: str | None = None  # the source relation's column (default: the table column's name)
    format: str | None = None  # overrides the column's format (a KPI's unit, a ratio row of a statement)


@dataclass
class Table:
    """A table of numbers beside a chart: columns, rows of cells, and the relation the numbers come from."""

    id: str
    caption: str
    source: str  # the relation the cells' row_id keys
    key: str  # the source's key column
    columns: Sequence[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""

    def add(self, *cells: Cell | Any) -> None:
        row = [cell if isinstance(cell, Cell) else Cell(cell) for cell in cells]
        assert len(row) == len(self.columns), (self.id, len(row), len(self.columns))
        self.rows.append(row)

    def view(self, company_id: str) -> dict[str, Any]:
        """What the template shows: headings, formatted cells with their provenance, and the CSV link."""
        rows = []
        for row in self.rows:
            cells = []
            for column, cell in zip(self.columns, row, strict=True):
                fmt = cell.format or column.format
                cells.append(
                    {
                        "text": FORMATS[fmt](cell.value),
                        "raw": data_value(cell.value),
                        "format": fmt,
                        "numeric": fmt not in ("text", "flag"),
                        "row_id": cell.row_id,
                        "column": (cell.column or column.name) if cell.row_id else None,
                    }
                )
            rows.append(cells)
        return {
            "id": self.id,
            "key": f"{company_id}|{self.id}",
            "caption": self.caption,
            "source": self.source,
            "source_key": self.key,
            "columns": self.columns,
            "rows": rows,
            "note": self.note,
            "csv_name": f"{company_id}-{self.id}.csv",
            "csv_href": csv_href(self),
        }


def csv_text(table: Table) -> str:
    """The table as CSV: a header of the column names, then every row's values at full precision."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.name for column in table.columns])
    for row in table.rows:
        writer.writerow([data_value(cell.value) for cell in row])
    return buffer.getvalue()


def csv_href(table: Table) -> str:
    """A `data:` URL of the table's CSV, for `<a download href=...>`: the download needs no network."""
    return "data:text/csv;charset=utf-8," + quote(csv_text(table), safe="")
