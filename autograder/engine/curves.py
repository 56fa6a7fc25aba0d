"""A student's function on a public 1-D sweep, kept for the feedback page's plot.

The sweep is not a test input and carries no points: it only lets the page draw the
student's curve beside the expected one. A call that fails leaves its reason instead.
"""

from __future__ import annotations

import numpy as np

from autograder.engine.checks import as_array, check_shape
from autograder.engine.feedback import Failure
from autograder.engine.student import StudentProxy
from autograder.results import Curve

SWEEP = np.linspace(-6.0, 6.0, 121)  # public: shown on the page, never used by a test


def record_curve(student: StudentProxy, function: str, expected: np.ndarray, x: np.ndarray = SWEEP) -> None:
    """Call `student.FUNCTION(x)` once and add the curve to the feedback page's figures."""
    try:
        if student.import_failure is not None or not student.has(function):
            return
    except Failure:  # the submission does not import: its tests already say so
        return
    curve = Curve(function=function, x=x.tolist(), expected=np.asarray(expected, dtype=np.float64).tolist())
    try:
        got = as_array(getattr(student, function)(x.copy()), f"{function}(x)")
        check_shape(got, x.shape, f"{function}(x)")
        curve.got = [float(v) if np.isfinite(v) else None for v in got]
    except Failure as failure:
        curve.problem = failure.text.cut(300)
    student.figures.curves.append(curve)
