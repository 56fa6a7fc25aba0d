"""Submissions downloaded from an LMS, brought in with nbgrader's own zip_collect.

The archives are copied to nbgrader's `downloaded/NN_NAME/archive` folder; its
ExtractorPlugin unpacks them and its FileNameCollectorPlugin reads each file name with a
regular expression that names the student (and optionally the time), then zip_collect
files them under submitted/STUDENT/NN_NAME like an exchange collect would.
"""

from __future__ import annotations

import io
import logging
import shutil
from pathlib import Path

from autograder.classroom.course import Classroom, nbgrader_environment
from autograder.errors import ClassroomError

# Canvas: login_[LATE_]userid_submissionid_file.ipynb, e.g. kimminsu_LATE_1234_5678_activations.ipynb
CANVAS = r".*/(?P<student_id>[A-Za-z0-9.\-]+)_(?:LATE_)?\d+_\d+_(?P<file_id>[^/]+)$"
# Moodle: "Full Name_userid_assignsubmission_file_/activations.ipynb" (one folder per student)
MOODLE = r".*/[^/_]+_(?P<student_id>\d+)_assignsubmission_file_/(?P<file_id>[^/]+)$"
PATTERNS = {"canvas": CANVAS, "moodle": MOODLE}


def zip_collect(classroom: Classroom, name: str, archives: list[Path], pattern: str = CANVAS) -> str:
    """Run nbgrader's zip_collect on `archives` for `name`; returns its log."""
    from nbgrader.apps.zipcollectapp import ZipCollectApp
    from nbgrader.coursedir import CourseDirectory

    from autograder.classroom.plug_ins import nbgrader_config

    folder = classroom.folder(name)
    regexp = PATTERNS.get(pattern, pattern)
    config = nbgrader_config(classroom)
    config.FileNameCollectorPlugin.named_regexp = regexp
    config.FileNameCollectorPlugin.valid_ext = [".ipynb", ".py"]
    config.ZipCollectApp.force = True
    config.ExtractorPlugin.force = True
    archive_dir = classroom.root / "downloaded" / folder / "archive"
    if archive_dir.exists():
        shutil.rmtree(archive_dir)
    archive_dir.mkdir(parents=True)
    for archive in archives:
        if not Path(archive).is_file():
            raise ClassroomError(f"{archive} does not exist; give the path of the file downloaded from the LMS.")
        shutil.copyfile(archive, archive_dir / Path(archive).name)
    app = ZipCollectApp(config=config)
    app.coursedir = CourseDirectory(config=config, assignment_id=folder)
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    app.log.addHandler(handler)
    try:
        with nbgrader_environment():
            app.init_plugins()
            app.extract_archive_files()
            app.process_extracted_files()
    except SystemExit:
        raise ClassroomError(
            f"nbgrader zip_collect stopped: {log.getvalue().strip().splitlines()[-1:] or 'no log'}"
        ) from None
    finally:
        app.log.removeHandler(handler)
    return log.getvalue()
