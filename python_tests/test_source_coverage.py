"""Every number printed in the source document is seeded, or is not a business figure.

The source document lives outside the project (../shared/source/, present in CI beside the clone); a
user's clone has none, so there the test is skipped. Numbers that are not business figures are removed
by the patterns below (dates, period and slide labels, footnote marks, the ticker and the contact
details), each with its reason; every other number must be the printed value of some seed row.
"""

from __future__ import annotations

import csv
import re

import pytest

from .builds import FIGURES_SEED, PROJECT_DIR

SOURCE = PROJECT_DIR.parent / "shared" / "source" / "iij-fy2017-consolidated-results.txt"

MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
NOT_FIGURES = {
    "dates": rf"{MONTH}\s*(?:\d{{1,2}},\s*)?\d{{4}}",
    "period labels (FY2017, FY17, 1Q16, 2H18, 1Q-3Q)": r"\bFY\d{2,4}\b|\b[1-4]Q(?:\d{2})?\b|\b[12]H\d{2}\b",
    "slide numbers (III - 1., IV - 4.) and numbered slide titles ((1), (2))": r"\b[IV]+ - \d+\.|\(\d\)",
    "footnote marks (*1, *2)": r"\*\d",
    "the ticker and the market (TSE1(3774))": r"TSE1\(3774\)",
    "the anniversary on the cover": r"25th",
    "the contact details (address, telephone)": r"Iidabashi.*|TEL:.*",
    "the mid-term timeline of IV-5, which gives no period": r"Over 100 newly graduates",
    "a year in a title or phrase (FY2017 results, Mar. 2018, in 2017)": r"\b20(?:1[5-9])\b",
}
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def seeded_numbers() -> set[str]:
    """Every seeded printed value as a bare number: '(1,897)' -> '1897', '+13.2%' -> '13.2'."""
    with (PROJECT_DIR / FIGURES_SEED).open(newline="") as handle:
        return {re.sub(r"[,+%()\-]", "", record["printed_value"]) for record in csv.DictReader(handle)}


@pytest.mark.skipif(not SOURCE.is_file(), reason="the source document is not beside this clone (CI has it)")
def test_every_number_in_the_source_is_seeded() -> None:
    seeded = seeded_numbers()
    unseeded = []
    for number, line in enumerate(SOURCE.read_text().splitlines(), start=1):
        text = line
        for pattern in NOT_FIGURES.values():
            text = re.sub(pattern, " ", text)
        for token in NUMBER.findall(text):
            if token.replace(",", "") not in seeded:
                unseeded.append(f"line {number}: {token!r} in {line.strip()[:100]!r}")
    assert not unseeded, "numbers of the source document that no seed row prints:\n" + "\n".join(unseeded)
