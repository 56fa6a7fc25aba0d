"""A late-submission policy for nbgrader: a share of the score per day started after the due date.

nbgrader's own LateSubmissionPlugin knows only "none" and "zero". This plugin plugs into
the same place (AssignLatePenalties.plugin_class in nbgrader_config.py), so nbgrader's
gradebook, formgrader and `nbgrader export` show the penalty as their own.
"""

from __future__ import annotations

import math

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float

DAY = 24 * 60 * 60


class PerDayPenalty(LateSubmissionPlugin):
    """Take `percent_per_day` of the score for each day (or part of a day) late, up to `max_percent`."""

    percent_per_day = Float(10.0, help="Percent of the score taken per day started after the due date.").tag(
        config=True
    )
    max_percent = Float(100.0, help="The largest share of the score a late submission can lose, in percent.").tag(
        config=True
    )
    grace_minutes = Float(0.0, help="Minutes after the due date that still count as on time.").tag(config=True)

    def late_submission_penalty(self, student_id: str, score: float, total_seconds_late: float) -> float | None:
        late = total_seconds_late - 60 * self.grace_minutes
        if late <= 0:
            return None
        days = math.ceil(late / DAY)
        share = min(self.max_percent, days * self.percent_per_day) / 100.0
        self.log.info("%s is %d day(s) late: penalty %.0f %% of %s", student_id, days, 100 * share, score)
        return round(score * share, 4)
