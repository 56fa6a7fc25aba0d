"""Comparisons hidden tests use on what a submission returned.

Each check converts the returned value to plain numpy itself (float64 where numeric),
names the property that failed (type, shape, NaN, integrality, tolerance) in both
languages, and never prints the expected values unless the test says the input is
public (`show=True`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from autograder.engine.feedback import fail, ko

if TYPE_CHECKING:
    from autograder.engine.student import StudentProxy


def as_array(value: object, what: str, *, dtype: DTypeLike = np.float64) -> np.ndarray:
    """The returned value as a numeric array, or a failure saying why it is not one."""
    if value is None:
        fail(
            f"{what} returned None; did you forget a `return` statement?",
            f"{ko(what)}이(가) None을 반환했습니다. `return` 문을 빠뜨리지 않았는지 확인하세요.",
            cause="type",
        )
    if isinstance(value, (str, dict)):
        fail(
            f"{what} returned a {type(value).__name__}, not numbers.",
            f"{ko(what)}이(가) 숫자가 아닌 {type(value).__name__}을(를) 반환했습니다.",
            cause="type",
        )
    try:
        array = np.asarray(value)
    except (ValueError, TypeError):
        array = None
    if array is None or array.dtype.kind not in "biuf":
        fail(
            f"{what} did not return numbers (got {type(value).__name__}).",
            f"{ko(what)}이(가) 숫자를 반환하지 않았습니다 ({type(value).__name__}).",
            cause="type",
        )
    return array.astype(dtype)


def check_shape(array: np.ndarray, shape: tuple[int, ...], what: str) -> None:
    if tuple(array.shape) != tuple(shape):
        fail(
            f"{what} has shape {tuple(array.shape)}, but it should have shape {tuple(shape)}.",
            f"{ko(what)}의 모양(shape)이 {tuple(array.shape)}입니다. {tuple(shape)}이어야 합니다.",
            cause="shape",
        )


def check_finite(array: np.ndarray, what: str) -> None:
    bad = ~np.isfinite(array)
    if bad.any():
        kind = "NaN" if np.isnan(array).any() else "inf"
        fail(
            f"{what} contains {kind} in {int(bad.sum())} of {array.size} entries: the computation is not numerically stable.",
            f"{ko(what)}에 {kind} 값이 {array.size}개 중 {int(bad.sum())}개 있습니다. 수치적으로 안정적이지 않은 계산입니다.",
            cause="nan",
        )


def check_integral(array: np.ndarray, what: str) -> None:
    if not np.all(np.isfinite(array)) or not np.all(array == np.round(array)):
        fail(
            f"{what} should be whole numbers, but it is not.",
            f"{ko(what)}은(는) 정수여야 하지만 그렇지 않습니다.",
            cause="integral",
        )


def check_close(
    value: object, expected: ArrayLike, what: str, *, rtol: float = 1e-6, atol: float = 1e-8, show: bool = False
) -> np.ndarray:
    """Type, shape, finiteness, then values within tolerance; returns the checked array."""
    expected = np.asarray(expected, dtype=np.float64)
    got = as_array(value, what)
    check_shape(got, expected.shape, what)
    if np.all(np.isfinite(expected)):
        check_finite(got, what)
    close = np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)
    if not close.all():
        wrong = int((~close).sum())
        error = np.abs(got - expected)
        where = np.unravel_index(int(np.nanargmax(np.where(close, -1, error))), got.shape) if got.ndim else ()
        detail = f" Expected {_short(expected)}, got {_short(got)}." if show else ""
        detail_ko = f" 기대한 값 {_short(expected)}, 받은 값 {_short(got)}." if show else ""
        if got.ndim:
            place = tuple(int(i) for i in where)
            fail(
                f"{what} is wrong in {wrong} of {got.size} entries (largest error at index {place}).{detail}",
                f"{ko(what)}의 값이 {got.size}개 중 {wrong}개 틀렸습니다 (가장 큰 오차 위치 {place}).{detail_ko}",
                cause="values",
            )
        fail(f"{what} has the wrong value.{detail}", f"{ko(what)}의 값이 틀렸습니다.{detail_ko}", cause="values")
    return got


def check_tuple(value: object, length: int, what: str) -> tuple[Any, ...]:
    if not isinstance(value, tuple) or len(value) != length:
        kind = f"a tuple of {len(value)}" if isinstance(value, tuple) else type(value).__name__
        fail(
            f"{what} should return a tuple of {length} values, but returned {kind}.",
            f"{ko(what)}은(는) 값 {length}개의 튜플을 반환해야 하는데 {kind}을(를) 반환했습니다.",
            cause="type",
        )
    return value


def check_no_warnings(student: StudentProxy, what: str) -> None:
    """No warning escaped the last call (overflow, divide by zero, log of 0...)."""
    if student.last_warnings:
        fail(
            f"{what} raised a warning: {student.last_warnings[0]}. Make the computation numerically stable.",
            f"{ko(what)}에서 경고가 발생했습니다: {student.last_warnings[0]}. 수치적으로 안정적인 방법으로 계산하세요.",
            cause="warning",
        )


def check_raises(
    student: StudentProxy,
    function: str,
    args: tuple[Any, ...],
    error: str,
    what: str,
    *,
    kwargs: dict[str, Any] | None = None,
) -> str:
    """The call must raise `error` (or a subclass) with a non-empty message; returns the message."""
    report = student.drive("call_catching", function=function, args=list(args), kwargs=kwargs or {})
    if not isinstance(report, dict):
        fail(
            f"{what}: the submission's process sent back an unreadable report.",
            f"{ko(what)}: 제출물의 프로세스가 읽을 수 없는 결과를 보냈습니다.",
            cause="garbage",
        )
    types = [str(t) for t in report.get("types") or []]
    if report.get("missing"):
        fail(
            f"The submission has no function named {function}; check the spelling and that it is defined at the top level.",
            f"제출물에 {function} 함수가 없습니다. 이름의 철자와 최상위(top level)에 정의했는지 확인하세요.",
            cause="missing",
        )
    if types[:1] == ["NotImplementedError"]:
        fail(
            f"{function}() is not implemented yet (it raised NotImplementedError).",
            f"{function}()이(가) 아직 구현되지 않았습니다 (NotImplementedError 발생).",
            cause="not_implemented",
        )
    if not report.get("raised"):
        fail(
            f"{what} should raise {error}, but it returned normally.",
            f"{ko(what)}은(는) {error}를 발생시켜야 하는데 정상적으로 값을 반환했습니다.",
            cause="no_error",
        )
    if error not in types:
        fail(
            f"{what} should raise {error}, but it raised {types[0] if types else 'an exception'}.",
            f"{ko(what)}은(는) {error}를 발생시켜야 하는데 {types[0] if types else '다른 예외'}를 발생시켰습니다.",
            cause="wrong_error",
        )
    message = str(report.get("message") or "")
    if not message.strip():
        fail(
            f'{what} raised {error} without a message; say what is wrong, e.g. raise {error}("...").',
            f'{ko(what)}이(가) 메시지 없이 {error}를 발생시켰습니다. 무엇이 잘못되었는지 메시지로 알려 주세요. 예: raise {error}("...").',
            cause="no_message",
        )
    return message


def check_gradient(
    value: object, numerical: ArrayLike, what: str, *, bound: float = 1e-6, floor: float = 1e-12
) -> np.ndarray:
    """A derivative against its central-difference estimate: largest relative error
    |a − b| / max(|a| + |b|, floor) within `bound`. The message reports the error found,
    never the expected values.
    """
    expected = np.asarray(numerical, dtype=np.float64)
    got = as_array(value, what)
    check_shape(got, expected.shape, what)
    check_finite(got, what)
    error = float(np.max(np.abs(got - expected) / np.maximum(np.abs(got) + np.abs(expected), floor), initial=0.0))
    if error > bound:
        fail(
            f"{what} differs from the numerical derivative (central differences): largest relative error {error:.2e}, allowed {bound:.0e}.",
            f"{ko(what)}이(가) 수치 미분(중앙 차분) 결과와 다릅니다: 가장 큰 상대 오차 {error:.2e}, 허용 {bound:.0e}.",
            cause="gradient",
        )
    return got


def as_number(value: object, what: str) -> np.ndarray:
    """A result that should be one number (a loss, a scalar's image) as a 0-d float64 array.

    A numpy scalar, a 0-d array and a one-element array all count as one number.
    """
    array = as_array(value, what)
    if array.size != 1:
        fail(
            f"{what} should be one number, but it is an array of shape {tuple(array.shape)}.",
            f"{ko(what)}은(는) 숫자 하나여야 하는데 모양(shape)이 {tuple(array.shape)}인 배열입니다.",
            cause="shape",
        )
    return array.reshape(())


def _short(array: np.ndarray) -> str:
    array = np.asarray(array)
    if array.ndim == 0:
        return f"{float(array):.6g}"
    return np.array2string(np.asarray(array), precision=4, threshold=12, suppress_small=True)
