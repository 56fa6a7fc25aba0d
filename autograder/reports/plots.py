"""The feedback page's pictures, drawn with matplotlib into PNG bytes.

Every figure is a `matplotlib.figure.Figure` of its own (never pyplot, whose global figures
would pile up in a long batch), drawn under a temporary rc context, so grading state and
other plots are untouched. Korean text needs a Korean font: Debian's fonts-nanum is used
when installed; without it `korean_font()` says so and the caller draws in English.
Fixed words (axis titles, legends) come from the caller's `text` mapping, so all the page's
wording stays in one place (student_page.LABELS).

A picture is drawn once per process for the same data: every picture carries a key made of
everything it shows (the data, the words, the size and the style), and the PNG of a key
already drawn is reused. Across a class most pictures are the same (each function a student
got right draws exactly the expected curve), so a batch draws a few dozen, not thousands.
Drawing holds one lock: matplotlib's rc settings are global, so threads draw one at a time.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import json
import math
import threading
import warnings
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from autograder.results import Curve, Mistake

NANUM = Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf")
_DPI = 100
MAX_SERIES, MAX_EPOCHS = 12, 1000  # a learning curve's series are named and sized by the student's code
CACHE_BYTES = 64 * 2**20  # PNGs kept for reuse in one process (the least recently used go first)

_drawing = threading.RLock()  # matplotlib's rc settings are global: one picture at a time per process
_drawn: OrderedDict[str, bytes] = OrderedDict()
_drawn_bytes = 0
_warm = False


@functools.cache
def _korean_family() -> str | None:
    """The family name of the registered Korean font, or None where it is not installed."""
    if not NANUM.is_file():
        return None
    from matplotlib import font_manager

    try:
        font_manager.fontManager.addfont(str(NANUM))
        return font_manager.FontProperties(fname=str(NANUM)).get_name()
    except (OSError, RuntimeError, ValueError):
        return None


def korean_font() -> bool:
    """Can the pictures show Korean glyphs here?"""
    return _korean_family() is not None


def _style() -> dict:
    family = _korean_family()
    return {
        "font.family": [family, "DejaVu Sans"] if family else ["DejaVu Sans"],
        "axes.unicode_minus": False,
        "font.size": 10,
        "savefig.dpi": _DPI,
    }


def render_png(draw, size: tuple[float, float], key: object = None) -> bytes:
    """Call draw(figure) on a fresh figure and return it as PNG bytes.

    `key`: everything the picture shows, as JSON-able data (None: not reused). A key already
    drawn in this process, in the same style and size, returns the same PNG without drawing.
    """
    name = None
    if key is not None:
        name = hashlib.sha256(json.dumps([key, list(size), _style()], sort_keys=True, default=str).encode()).hexdigest()
        with _drawing:
            if name in _drawn:
                _drawn.move_to_end(name)
                return _drawn[name]
    import matplotlib
    from matplotlib.figure import Figure

    with _drawing, matplotlib.rc_context(_style()), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from")  # a font without Korean: boxes, not spam
        figure = Figure(figsize=size, dpi=_DPI, layout="constrained")
        draw(figure)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        png = buffer.getvalue()
        if name is not None:
            _remember(name, png)
    return png


def _remember(name: str, png: bytes) -> None:
    global _drawn_bytes
    if name not in _drawn:
        _drawn[name] = png
        _drawn_bytes += len(png)
    while _drawn_bytes > CACHE_BYTES and len(_drawn) > 1:
        _drawn_bytes -= len(_drawn.popitem(last=False)[1])


def forget_drawn() -> None:
    """Drop every reused picture (tests, or a long-lived process that is done with a class)."""
    global _drawn_bytes
    with _drawing:
        _drawn.clear()
        _drawn_bytes = 0


def warm_quietly() -> None:
    """`warm`, for a thread of its own while judges start: a warm-up that fails costs nothing (the first page draws as
    it can, and says why)."""
    try:
        warm()
    except Exception:
        pass


def warm() -> None:
    """Pay matplotlib's one-time costs (imports, fonts, the Korean font's registration) before the first page; once."""
    global _warm
    if _warm:
        return
    _warm = True

    def draw(figure):
        axes = figure.add_subplot()
        axes.plot([0, 1], [0, 1], label="가 a")
        axes.set_title("가 a")
        axes.legend()

    render_png(draw, (1.0, 1.0))


def _plain(text: str) -> str:
    """Text drawn as written: a student's "$...$" is never read as mathtext, a leading "_" never hides a label."""
    return text.replace("$", r"\$").lstrip("_") or "?"


def data_uri(png: bytes) -> str:
    """A PNG inlined for an <img src>: the page needs no other file."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def curve_plot(curve: Curve, text: Mapping[str, str]) -> bytes:
    """The student's function over the expected one; points that were missing or not finite are marked."""
    x = np.asarray(curve.x, dtype=float)
    expected = np.asarray(curve.expected, dtype=float)
    got = np.array([np.nan if v is None else v for v in curve.got], dtype=float) if curve.got else None

    def draw(figure):
        axes = figure.add_subplot()
        axes.plot(x, expected, color="#1f77b4", linewidth=3, alpha=0.45, label=text["expected"])
        if got is not None and len(got) == len(x):
            axes.plot(x, got, color="#d62728", linewidth=1.5, label=text["yours"])
            missing = ~np.isfinite(got)
            if missing.any():
                axes.plot(
                    x[missing],
                    np.nan_to_num(expected[missing]),
                    "x",
                    color="#d62728",
                    markersize=7,
                    label=f"{text['missing']} ({int(missing.sum())})",
                )
        axes.set_title(_plain(f"{curve.function}(x)"))
        axes.set_xlabel("x")
        axes.grid(alpha=0.3)
        axes.legend(loc="best", fontsize=9)

    key = [
        "curve",
        curve.function,
        curve.x,
        curve.expected,
        curve.got,
        [text[k] for k in ("expected", "yours", "missing")],
    ]
    return render_png(draw, (5.5, 3.4), key=key)


def confusion_plot(confusion: Sequence[Sequence[int]], names: Sequence[str], text: Mapping[str, str]) -> bytes:
    """Counts of [true][predicted] classes, with the class names on both axes."""
    counts = np.asarray(confusion, dtype=np.int64)

    def draw(figure):
        axes = figure.add_subplot()
        axes.imshow(counts, cmap="Blues")
        ticks = range(len(counts))
        axes.set_xticks(ticks, names, rotation=45, ha="right")
        axes.set_yticks(ticks, names)
        axes.set_xlabel(text["predicted"])
        axes.set_ylabel(text["true"])
        bright = counts.max() / 2 if counts.size else 0
        for row in ticks:
            for column in ticks:
                axes.text(
                    column,
                    row,
                    str(counts[row, column]),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if counts[row, column] > bright else "black",
                )

    return render_png(
        draw, (7.5, 6.8), key=["confusion", counts.tolist(), list(names), text["predicted"], text["true"]]
    )


def per_class_plot(accuracy: Sequence[float], names: Sequence[str], text: Mapping[str, str]) -> bytes:
    """One bar per class: the share of its test images the model got right."""

    def draw(figure):
        axes = figure.add_subplot()
        bars = axes.bar(range(len(accuracy)), [100 * a for a in accuracy], color="#4c72b0")
        axes.bar_label(bars, fmt="%.0f", fontsize=8)
        axes.set_xticks(range(len(accuracy)), names, rotation=45, ha="right")
        axes.set_ylim(0, 105)
        axes.set_ylabel(text["accuracy_percent"])
        axes.grid(axis="y", alpha=0.3)

    return render_png(
        draw, (7.5, 3.8), key=["per_class", [float(a) for a in accuracy], list(names), text["accuracy_percent"]]
    )


def history_plot(history: Mapping[str, Sequence[float]], text: Mapping[str, str]) -> bytes | None:
    """One line per series over the epochs: accuracies in one panel, losses in another, anything else in a third.

    None when no series holds a finite value (nothing to draw).
    """
    panels: dict[str, dict[str, list[float]]] = {"accuracy": {}, "loss": {}, "other": {}}
    for name, values in list(history.items())[:MAX_SERIES]:
        series = [v if isinstance(v, (int, float)) and math.isfinite(v) else math.nan for v in values[:MAX_EPOCHS]]
        if not any(math.isfinite(v) for v in series):
            continue
        panel = "loss" if "loss" in name.lower() else "accuracy" if "acc" in name.lower() else "other"
        panels[panel][_plain(name)] = series
    shown = [(panel, series) for panel, series in panels.items() if series]

    if not shown:
        return None
    from matplotlib.ticker import MaxNLocator

    def draw(figure):
        for number, (panel, series) in enumerate(shown, start=1):
            axes = figure.add_subplot(1, len(shown), number)
            for name, values in series.items():
                epochs = range(1, len(values) + 1)
                axes.plot(
                    epochs,
                    values,
                    marker="o" if len(values) < 30 else None,
                    markersize=3,
                    linestyle="--" if name.lower().startswith("val") else "-",
                    label=name,
                )
            axes.set_title(text[panel])
            axes.set_xlabel(text["epoch"])
            axes.xaxis.set_major_locator(MaxNLocator(integer=True))
            axes.grid(alpha=0.3)
            axes.legend(fontsize=8)

    key = ["history", [[panel, list(series.items())] for panel, series in shown], [text[k] for k in (*panels, "epoch")]]
    return render_png(draw, (4.2 * max(1, len(shown)), 3.4), key=key)


def mistakes_grid(images: np.ndarray, mistakes: Sequence[Mistake], names: Sequence[str]) -> bytes:
    """Misclassified test images, each titled "predicted / true" (images indexed by Mistake.index)."""
    columns = 6
    rows = max(1, math.ceil(len(mistakes) / columns))

    def draw(figure):
        for number, mistake in enumerate(mistakes, start=1):
            axes = figure.add_subplot(rows, columns, number)
            axes.imshow(images[mistake.index], cmap="gray_r", vmin=0, vmax=255)
            axes.set_title(f"{names[mistake.predicted]}\n/ {names[mistake.true]}", fontsize=9)
            axes.set_axis_off()

    pixels = hashlib.sha256(b"".join(np.ascontiguousarray(images[m.index]).tobytes() for m in mistakes)).hexdigest()
    key = ["mistakes", [[m.index, m.true, m.predicted] for m in mistakes], list(names), pixels]
    return render_png(draw, (1.6 * columns, 2.0 * rows), key=key)
