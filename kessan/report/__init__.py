"""The results report, one offline HTML file: `python -m kessan report` (kessan.report.page).

page reads the warehouse and renders the templates/; charts draws the SVG charts, tables the tables of numbers
beside them, formats the numbers as the page and its CSV downloads print them.
"""

from .page import RELATIONS, main

__all__ = ["RELATIONS", "main"]
