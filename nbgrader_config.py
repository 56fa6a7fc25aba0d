# nbgrader's configuration for this course; nbgrader reads it from the folder you run it in.
# Nothing here needs editing for the default course:
#   course id  - from grading.toml's course name ($AUTOGRADER_COURSE_ID overrides)
#   course root - classroom/ beside grading.toml ($AUTOGRADER_COURSE_ROOT overrides); it holds
#                 source/ (generated), submitted/, autograded/, feedback/ and gradebook.db
#   release    - assignments/ beside grading.toml, written by `autograder release NAME`
#   exchange   - nbgrader's default ($AUTOGRADER_EXCHANGE overrides)
#   assignment names - the folder names NN_NAME, e.g. 01_activations
# configure() also makes nbgrader's own autograde (CLI and formgrader's Autograde button) refuse,
# since it would run student code outside the sandbox (`autograder collect-grade NAME` grades instead),
# and shows the gradebook's total, rounded, in our feedback summary and in grades.csv (to export
# differently, set c.ExportApp.plugin_class below that line).
from pathlib import Path

from autograder.classroom.plug_ins import configure

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)
configure(c, grading_toml=Path(__file__).resolve().with_name("grading.toml"))

# Late submissions: 10 % of the score per day started after the due date, at most 100 %.
# For nbgrader's own all-or-nothing rule, use instead:
#   c.AssignLatePenalties.plugin_class = "nbgrader.plugins.LateSubmissionPlugin"
#   c.LateSubmissionPlugin.penalty_method = "zero"
c.AssignLatePenalties.plugin_class = "autograder.classroom.late.PerDayPenalty"
c.PerDayPenalty.percent_per_day = 10.0
c.PerDayPenalty.max_percent = 100.0
c.PerDayPenalty.grace_minutes = 0.0
