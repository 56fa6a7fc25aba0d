"""How a score reads to a person, the same wherever it is shown.

The course round's totals (classroom/totals.py: nbgrader's feedback header, our summary
cell, grades.csv), the LMS export and the `collect-grade` table all print a score through
`shown`, so one total never reads as two numbers.
"""

from __future__ import annotations

SHOWN_PLACES = 2


def shown(value: float) -> str:
    """A score as a person reads it: 2 decimals at most, no trailing zeros (9.999999999999995 -> 10)."""
    return f"{round(float(value), SHOWN_PLACES) + 0.0:.{SHOWN_PLACES}f}".rstrip("0").rstrip(".")
