"""The trusted judge: one process per submission that runs its hidden suite with pytest.

Started by `autograder.grading` as `python -m autograder.engine.judge REQUEST.json`. It
never imports student code; the `student` fixture reaches the submission through the
sandbox. It becomes a child subreaper so that anything the student's process leaves
behind is re-parented here and killed when the judge ends.
"""
from __future__ import annotations

import ctypes
import json
import sys
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36


def main(request_path: str) -> int:
    request = json.loads(Path(request_path).read_text(encoding="utf-8"))
    from autograder.config import load_config

    config = load_config(request["config"])
    assignment = config.assignment(request["assignment"])
    if assignment.kind == "model":
        import torch  # noqa: F401  (torch before anything that may load tensorflow)
    _become_subreaper()

    import pytest

    from autograder.engine import feedback
    from autograder.engine.plugin import GradingPlugin, JudgeContext
    from autograder.submission import PreparedSubmission

    feedback.set_language(request.get("language") or config.course.language)
    submission = PreparedSubmission.from_wire(request["submission"]) if request.get("submission") else None
    problem = request.get("problem") or (None if submission else "Nothing was submitted.")
    context = JudgeContext(
        name=request["assignment"], assignment=assignment, submission=submission,
        limits=config.limits_for(request["assignment"]), seed=int(request["seed"]),
        progress=Path(request["progress"]), isolation=request.get("isolation", "auto"),
        device=request.get("device", "cpu"), threads=int(request.get("threads", 1)),
        inputs=Path(request["inputs"]) if request.get("inputs") else None,
        hidden=tuple(request.get("hidden", ())), data_home=config.data_home,
        submission_problem=problem)
    suite = config.suite_dir(request["assignment"])
    args = [str(suite), "-q", "--no-header", "-p", "no:cacheprovider", "--noconftest",
            "--import-mode=importlib", "--rootdir", str(suite), "--tb=short", "-W", "ignore::DeprecationWarning"]
    if (suite.parent / "pytest.ini").is_file():
        args += ["-c", str(suite.parent / "pytest.ini")]
    code = pytest.main(args, plugins=[GradingPlugin(context)])
    return 0 if code in (0, 1) else int(code)


def _become_subreaper() -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
