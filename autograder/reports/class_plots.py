"""The class report's picture: one score histogram per assignment, as PNG bytes.

Drawn with the feedback page's machinery (reports.plots: a fresh `Figure` per picture, never
pyplot; Debian's NanumGothic when installed). Without a Korean font the axis titles fall back
to English, so the picture never shows empty boxes for glyphs.
"""

from __future__ import annotations

from autograder.reports.class_report import Histogram
from autograder.reports.plots import korean_font, render_png

AXES = {"en": ("score (% of the points)", "submissions"), "ko": ("점수 (만점 대비 %)", "제출 수")}


def histogram_plot(histogram: Histogram, language: str) -> bytes:
    """Bars of submissions per percent band, each bar labelled with its count."""
    x_title, y_title = AXES["ko" if language == "ko" and korean_font() else "en"]
    edges, counts = histogram.edges, histogram.counts
    widths = [right - left for left, right in zip(edges, edges[1:])]

    def draw(figure):
        axes = figure.add_subplot()
        bars = axes.bar(edges[:-1], counts, width=widths, align="edge", color="#4c72b0", edgecolor="white")
        axes.bar_label(bars, labels=[str(c) if c else "" for c in counts], fontsize=8)
        axes.set_xlim(edges[0], edges[-1])
        axes.set_xticks(edges)
        axes.set_ylim(0, max(counts, default=0) * 1.15 + 1)
        axes.yaxis.get_major_locator().set_params(integer=True)
        axes.set_xlabel(x_title)
        axes.set_ylabel(y_title)
        axes.grid(axis="y", alpha=0.3)

    return render_png(draw, (6.0, 3.0))
