"""What each example submission should score, so the example class checks itself.

The reference solution passes everything; the released stub passes nothing; a variant
in solutions/NN_NAME/variants/ fails exactly the hidden tests its first line names:

    # expect-fail: test_softmax_batch, test_softmax_rows_sum_to_one

(an empty list marks a correct implementation written another way). A variant whose
second line is

    # overlay-on: reference

holds only what differs from the reference solution (a buggy function, another import):
it is graded as the reference followed by the variant, so the later definitions win and
a reader sees the bug and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from autograder.errors import ExpectationError
from autograder.results import SubmissionResult

EXPECT_FAIL = "# expect-fail:"
OVERLAY = "# overlay-on: reference"


@dataclass(frozen=True)
class Expectation:
    """`fails` lists test base names that must fail and no other; None means every test fails."""

    fails: frozenset[str] | None

    def unmet(self, result: SubmissionResult) -> str | None:
        """How `result` differs from this expectation, or None when it matches."""
        failed = failed_functions(result)
        if self.fails is None:
            return None if result.score == 0 else f"expected 0 points, got {result.score:g}/{result.max_score:g}"
        known = {t.function for t in result.tests}
        unknown = sorted(self.fails - known)
        if unknown:
            return f"the expect-fail line names tests that do not exist: {', '.join(unknown)}"
        if failed == self.fails:
            return None
        parts = []
        if self.fails - failed:
            parts.append(f"should have failed {', '.join(sorted(self.fails - failed))}")
        if failed - self.fails:
            parts.append(f"unexpectedly failed {', '.join(sorted(failed - self.fails))}")
        return "; ".join(parts)


PASS_ALL = Expectation(frozenset())
FAIL_ALL = Expectation(None)


def variant_expectation(path: Path) -> Expectation:
    """Read the `# expect-fail:` first line of a variant submission."""
    first = path.read_text(encoding="utf-8").splitlines()[:1]
    if not first or not first[0].startswith(EXPECT_FAIL):
        raise ExpectationError(
            f"{path} must start with a line `{EXPECT_FAIL} test_a, test_b` naming the hidden tests it fails "
            "(leave the list empty for a correct implementation)."
        )
    names = first[0][len(EXPECT_FAIL) :].split(",")
    return Expectation(frozenset(name.strip() for name in names if name.strip()))


def failed_functions(result: SubmissionResult) -> set[str]:
    """Base names of the tests that did not pass (test_mean[7] -> test_mean)."""
    return {t.function for t in result.tests if t.status != "passed"}


def overlay_source(path: Path, reference: Path) -> str | None:
    """The whole submission an overlay variant stands for (the reference, then the overlay); None for a whole-file variant."""
    text = path.read_text(encoding="utf-8")
    if OVERLAY not in text.splitlines()[1:2]:
        return None
    return reference.read_text(encoding="utf-8").rstrip("\n") + "\n\n\n" + text


def variant_file(path: Path, reference: Path, folder: Path) -> Path:
    """A file holding the whole submission of a variant (the variant itself unless it is an overlay)."""
    source = overlay_source(path, reference)
    if source is None:
        return path
    target = folder / f"variant-{path.parent.name}" / path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source, encoding="utf-8")
    return target
