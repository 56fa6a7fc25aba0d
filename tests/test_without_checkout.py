"""Does the package grade a course with no checkout around it, as an installed package would?

The package alone is copied to a folder of its own (what `pip install` puts in site-packages) and
a course, elsewhere, holds only its grading.toml and one assignment folder. The grader is run
from the course's folder with that copy first on the path: it must find the course from the
current folder's grading.toml, the assignment from its folder, the data manifest in the package,
and grade the reference to full marks.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from autograder.fingerprints import PACKAGE
from autograder.paths import REPO_ROOT

GRADE = """
import json, sys
from pathlib import Path
import autograder
from autograder.config import load_config
from autograder.data import FASHION_MNIST
from autograder.grading import grade
config = load_config()
result = grade(Path("solutions/01_activations/activations.py"), "activations", config=config)
print(json.dumps({"package": autograder.__file__, "config": str(config.source), "manifest": str(FASHION_MNIST.source),
                  "score": result.score, "max_score": result.max_score}))
"""


def test_a_copy_of_the_package_grades_a_course_found_from_the_current_folder(tmp_path):
    site, course = tmp_path / "site", tmp_path / "course"
    shutil.copytree(PACKAGE, site / "autograder", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(
        REPO_ROOT / "solutions" / "01_activations",
        course / "solutions" / "01_activations",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copyfile(REPO_ROOT / "grading.toml", course / "grading.toml")
    env = {key: value for key, value in os.environ.items() if key != "AUTOGRADER_CONFIG"}
    env["PYTHONPATH"] = str(site)
    done = subprocess.run(
        [sys.executable, "-c", GRADE], cwd=course, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["package"].startswith(str(site)), seen
    assert seen["config"] == str((course / "grading.toml").resolve()) and seen["manifest"].startswith(str(site)), seen
    assert seen["score"] == seen["max_score"] == 10, seen
