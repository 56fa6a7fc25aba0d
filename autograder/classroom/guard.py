"""nbgrader's own autograde, switched off: it would run student code in a kernel outside our sandbox.

Both `nbgrader autograde` and formgrader's Autograde button build nbgrader's Autograde
converter, which executes every submitted notebook in a Jupyter kernel with the
instructor's rights. configure() (plug_ins.py) gives that converter this exporter, which
refuses as soon as it is built: after nbgrader has only listed the submitted notebooks,
before it clears or copies anything into autograded/, touches the gradebook or starts a
kernel. The message names the command that grades in the sandbox instead.
"""

from __future__ import annotations

import re

from nbconvert.exporters import Exporter

COMMAND = "autograder collect-grade {name}"


class RefuseAutograde(Exporter):
    """Stands in for the notebook exporter of nbgrader's Autograde converter, and refuses."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from nbgrader.converters.base import NbGraderException

        message = refusal(getattr(getattr(self.parent, "coursedir", None), "assignment_id", "") or "")
        self.log.error(message.replace("; ", ";\n", 1))  # two lines: formgrader shows the log unwrapped
        raise NbGraderException(message)


def refusal(assignment_id: str) -> str:
    """One sentence: why nothing was graded, and what to run instead."""
    match = re.fullmatch(r"\d+_(.+)", assignment_id)
    command = COMMAND.format(name=match.group(1) if match else "NAME")
    return (
        f"nbgrader's autograde is turned off for this course because it would run student code outside the "
        f"sandbox; run `{command}` instead, which grades in the sandbox and fills the gradebook and feedback "
        f"that formgrader shows."
    )
