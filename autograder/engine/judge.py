"""The trusted judge: one process per submission that runs its hidden suite with pytest.

Started by `autograder.judges` as `python -m autograder.engine.judge JOB.json PROGRESS.jsonl`
(a `GradingJob` in, `JudgeRecord` lines out). It
never imports student code; the `student` fixture reaches the submission through the
sandbox. It becomes a child subreaper so that anything the student's process leaves
behind is re-parented here and killed when the judge ends.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from autograder.processes import become_subreaper, die_with_parent

# Hidden suites run with this pytest configuration (it stops pytest from reading the project's own settings), unless
# a suite folder holds a pytest.ini of its own (a mutation run's copy that selects some tests).
SUITE_INI = Path(__file__).with_name("hidden_suite.ini")


def suite_ini(suite: Path) -> Path:
    """The pytest configuration a hidden suite runs with."""
    own = suite / "pytest.ini"
    return own if own.is_file() else SUITE_INI


def main(job_path: str, progress_path: str) -> int:
    from autograder.engine.job import GradingJob, PreparedSubmission

    # Every temporary file of this judge (the sandbox's staging, a model's training data) goes into the job's folder,
    # which the grader removes when the job ends, even if this judge was killed; each is for the grader's eyes only.
    os.umask(0o077)
    tempfile.tempdir = str(Path(job_path).parent)

    job = GradingJob.model_validate_json(Path(job_path).read_text(encoding="utf-8"))
    config = job.grading_config()
    assignment = config.assignment(job.assignment)
    become_subreaper()  # the judge itself never loads a framework: models live in the sandbox, plain data comes back

    import pytest

    from autograder.bilingual import Said
    from autograder.engine.plugin import GradingPlugin, JudgeContext
    from autograder.engine.recording import selected_tests

    submission = PreparedSubmission.from_wire(job.submission) if job.submission else None
    context = JudgeContext(
        name=job.assignment,
        assignment=assignment,
        submission=submission,
        limits=config.limits_for(job.assignment),
        seed=job.seed,
        progress=Path(progress_path),
        isolation=job.isolation,
        device=job.device,
        gpu=job.gpu,
        threads=job.threads,
        inputs=Path(job.inputs) if job.inputs else None,
        hidden=job.hidden,
        drivers=config.drivers_file(job.assignment),
        data_home=config.data_home,
        submission_problem=job.problem or (None if submission else Said.same("Nothing was submitted.")),
    )
    suite = config.suite_dir(job.assignment)
    # pytest's unraisable/thread-exception plugins run gc.collect() at the end of every session (45 ms a judge, a
    # sixth of grading a small assignment); the judge has no use for them, nor for doctests, JUnit XML or pastebin.
    unused = [
        arg
        for name in ("unraisableexception", "threadexception", "doctest", "junitxml", "pastebin", "stepwise")
        for arg in ("-p", f"no:{name}")
    ]
    args = [
        str(suite),
        "-q",
        "--no-header",
        "-p",
        "no:cacheprovider",
        *unused,
        "--noconftest",
        "--import-mode=importlib",
        "--rootdir",
        str(suite),
        "--tb=native",
        "-W",
        "ignore::DeprecationWarning",
    ]
    args += ["-c", str(suite_ini(suite))]
    selection = selected_tests()
    if selection:  # a recording run of the project's coverage test, never a real grade
        args += ["-k", selection]
    # Only the grading plugin: no third-party pytest plugin that happens to be installed (anyio, ...) is
    # imported, and run, in every judge.
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    plugin = GradingPlugin(context)
    plugin.launch()  # the submission imports (seconds, with a framework) while pytest collects the suite
    code = pytest.main(args, plugins=[plugin])
    if plugin.overloaded:  # the plugin stopped the session on purpose; its summary says why
        return 0
    return 0 if code in (0, 1) else int(code)


if __name__ == "__main__":
    die_with_parent()  # a grader stopped by SIGTERM or SIGKILL takes its judge along, and the judge its sandbox
    sys.exit(main(sys.argv[1], sys.argv[2]))
