"""`autograder similarity NAME`: which submissions of one assignment share the most code, for a person to read.

code.py reads each student's code as the grader picks it (notebook code cells or the .py;
outputs, markdown and the released self-check cells dropped) and the starter code (the
released stub, every code cell of the released notebook, selfcheck.py, the public tests).
detect.py compares every pair with copydetect: Pygments tokens, names and literals
abstracted (so renaming changes nothing), comments and spacing dropped, winnowed k-gram
fingerprints matched as sets (so reordering changes nothing), and every fingerprint the
starter code holds removed first (so the stub alone scores 0). reports/similarity_page.py
renders the ranking as one offline page and a CSV.

A score is shared code, not a verdict: independent solutions of a short exercise share
code too. The page ranks pairs for a human to read, and says so.
"""

from __future__ import annotations

from pathlib import Path

from autograder.config import GradingConfig
from autograder.similarity.code import StudentCode, read_class, starter_code
from autograder.similarity.detect import Pair, SimilarityReport, compare_class

__all__ = ["Pair", "SimilarityReport", "StudentCode", "class_similarity", "compare_class", "read_class", "starter_code"]


def class_similarity(config: GradingConfig, name: str, hand_ins: dict[str, Path]) -> SimilarityReport:
    """Compare the hand-ins (student id -> file or folder) of assignment `name`, its release as starter code."""
    release, module_file = config.release_dir(name), config.assignment(name).file
    release = release if release.is_dir() else None
    students = read_class(hand_ins, module_file, release)
    return compare_class(name, students, starter_code(release, module_file) if release else "")
