"""Where this package is, and the checkout around it when it is run from one.

Grading needs nothing outside the package: a course is found from its grading.toml (its
assignment folders beside it), the data manifest is package data. REPO_ROOT serves what only
a checkout has: its own grading.toml as the last default, its build/ folder, the files a
Gradescope zip installs the package from.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
