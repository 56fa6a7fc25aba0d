"""Every pair of a class compared with copydetect's fingerprints, starter code removed.

copydetect (Pygments tokens; names, attributes and strings abstracted to one letter each;
comments and whitespace dropped; k-gram hashes winnowed) fingerprints each student's code
once, one region (a notebook cell, a given function) at a time. Every fingerprint the starter code holds is taken out of each student's set before any
comparison, so code that was given scores nothing, and a hand-in of the stub alone scores 0
against everyone. A pair's score is the share of both students' remaining fingerprinted
code that matches the other's, (matched A + matched B) / (covered A + covered B): a short
hand-in that matches part of a long one scores by what they share, not by its own size. Two
hand-ins too short to fingerprint (every function a one-liner) whose abstracted code is the
same, in whatever order, score 1.
"""

from __future__ import annotations

import bisect
import io
import time
from dataclasses import dataclass, field

import numpy as np

from autograder.similarity.code import GIVEN_DEFINITION, NOTEBOOK_CELL, StudentCode

NOISE = 25  # copydetect's noise threshold: matches shorter than this many abstracted characters never count
GUARANTEE = 25  # ... and every match at least this long is found (winnow window = GUARANTEE - NOISE + 1)
LABEL = "submission.py"  # copydetect picks its Pygments lexer from a file name: every text here is Python
REGION_MARKS = (NOTEBOOK_CELL.split("{")[0], GIVEN_DEFINITION.split("{")[0])  # lines that start a region


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    score: float  # shared share of both, 0..1
    share_a: float  # how much of a's own code matches b's
    share_b: float
    slices_a: tuple[tuple[int, int], ...] = ()  # matched character ranges of a's text
    slices_b: tuple[tuple[int, int], ...] = ()


@dataclass
class SimilarityReport:
    assignment: str
    students: list[StudentCode]
    pairs: list[Pair]  # every pair that shares anything, highest score first
    compared: int = 0  # pairs compared
    seconds: float = 0.0
    problems: dict[str, str] = field(default_factory=dict)  # student -> why their code was not compared

    def code_of(self, student: str) -> str:
        return next((s.text for s in self.students if s.student == student), "")


@dataclass
class Fingerprint:
    """One student's fingerprints: copydetect's, made region by region (see `fingerprint`), starter hashes removed."""

    hashes: set[int]
    spots: dict[int, list[int]]  # hash -> where its k-gram starts in the filtered code (all regions, one after another)
    covered: int  # filtered characters under some kept k-gram: what a share is a share of
    starts: list[int]  # where each region's filtered code starts
    raw_starts: list[int]  # where each region starts in the text
    offsets: list  # per region, copydetect's map from filtered to raw positions
    regions_code: tuple[str, ...] = ()  # each region's filtered code, sorted: equal for the same code in any order

    def raw(self, position: int) -> int:
        """The text position of filtered position `position`."""
        region = max(0, bisect.bisect_right(self.starts, position) - 1)
        local, offsets = position - self.starts[region], self.offsets[region]
        if len(offsets) == 0:
            return self.raw_starts[region] + local
        row = min(int(np.searchsorted(offsets[:, 0], local)), len(offsets) - 1)
        return self.raw_starts[region] + local + int(offsets[row, 1])


def regions(text: str) -> list[tuple[int, str]]:
    """(start, text) of each region: a new one at every notebook cell and every given definition (code.py)."""
    found, start, at = [], 0, 0
    for line in text.splitlines(keepends=True):
        if at > start and line.lstrip().startswith(REGION_MARKS):
            found.append((start, text[start:at]))
            start = at
        at += len(line)
    if at > start:
        found.append((start, text[start:at]))
    return found


def fingerprint(text: str, boilerplate: frozenset[int] = frozenset()) -> Fingerprint:
    """copydetect's fingerprints of `text`, each region (cell, function) on its own, hashes in `boilerplate` removed.

    Region by region, no k-gram spans the end of one function and the start of the next, so
    the order of a student's functions changes nothing, however short each one is.
    """
    from copydetect import CodeFingerprint
    from copydetect.utils import get_token_coverage

    found = Fingerprint(set(), {}, 0, [], [], [])
    filtered_at, codes = 0, []
    for raw_start, part in regions(text):
        code = CodeFingerprint(LABEL, NOISE, GUARANTEE - NOISE + 1, fp=io.StringIO(part))
        spots = {h: list(where) for h, where in code.hash_idx.items() if h not in boilerplate}
        found.covered += int(get_token_coverage(spots, NOISE, len(code.filtered_code)))
        for h, where in spots.items():
            found.spots.setdefault(h, []).extend(int(i) + filtered_at for i in where)
        found.starts.append(filtered_at)
        found.raw_starts.append(raw_start)
        found.offsets.append(np.asarray(code.offsets))
        filtered_at += len(code.filtered_code)
        if code.filtered_code:
            codes.append(code.filtered_code)
    found.hashes = set(found.spots)
    found.regions_code = tuple(sorted(codes))
    return found


def compare(first: Fingerprint, second: Fingerprint) -> tuple[float, float, tuple, tuple] | None:
    """(share of first, share of second, matched text ranges of each), or None when they share nothing."""
    from copydetect.utils import get_copied_slices

    common = first.hashes & second.hashes
    if not common or not first.covered or not second.covered:
        return None
    shares, ranges = [], []
    for side in (first, second):
        slices = get_copied_slices(np.concatenate([side.spots[h] for h in common]), NOISE)
        shares.append(min(1.0, float(np.sum(slices[1] - slices[0])) / side.covered))
        ranges.append(tuple((side.raw(int(a)), side.raw(int(b) - 1) + 1) for a, b in zip(slices[0], slices[1])))
    return shares[0], shares[1], ranges[0], ranges[1]


def compare_class(assignment: str, students: list[StudentCode], starter: str) -> SimilarityReport:
    """Compare every pair of `students` once; pairs that share nothing are left out of `pairs`."""
    started = time.perf_counter()
    boilerplate = frozenset(fingerprint(starter).hashes) if starter.strip() else frozenset()
    problems = {s.student: s.problem for s in students if not s.text.strip()}
    prints = {s.student: fingerprint(s.text, boilerplate) for s in students if s.student not in problems}
    text = {s.student: s.text for s in students}
    names = sorted(prints)
    pairs, compared = [], 0
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            compared += 1
            found = compare(prints[a], prints[b])
            if found is None:
                if (
                    prints[a].regions_code and prints[a].regions_code == prints[b].regions_code
                ):  # too short to fingerprint
                    whole_a, whole_b = ((0, len(text[a])),), ((0, len(text[b])),)
                    pairs.append(Pair(a, b, 1.0, 1.0, 1.0, whole_a, whole_b))
                continue
            share_a, share_b, ranges_a, ranges_b = found
            first, second = prints[a].covered, prints[b].covered
            score = (share_a * first + share_b * second) / (first + second)
            pairs.append(Pair(a, b, score, share_a, share_b, ranges_a, ranges_b))
    pairs.sort(key=lambda p: (-p.score, p.a, p.b))
    return SimilarityReport(assignment, students, pairs, compared, time.perf_counter() - started, problems)
