"""`autograder calibrate`: how fast is this machine against the one the time limits were measured on? Prints the time_scale to set."""

from __future__ import annotations

import click

from autograder.cli.options import (
    console,
)


@click.command("calibrate")
def calibrate_command():
    """How fast is this machine against the one the time limits were measured on? Prints the time_scale to set."""
    from autograder.calibration import calibrate

    found = calibrate()
    for name, seconds in found.seconds.items():
        console.print(f"{name:6} {seconds:6.2f} s   (reference machine {found.reference[name]:.2f} s)", highlight=False)
    console.print(
        f"This machine takes {found.ratio:.2f}x the reference machine's time (other programs' load not counted).",
        highlight=False,
    )
    console.print(
        f"Set [bold]time_scale = {found.time_scale:g}[/] under \\[limits] in grading.toml"
        + (" (the default)." if found.time_scale == 1 else "."),
        highlight=False,
    )
