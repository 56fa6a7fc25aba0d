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
    from autograder.reports.terminal import print_calibration

    print_calibration(console, calibrate())
