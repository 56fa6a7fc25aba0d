"""`autograder check-sandbox`: say which sandbox grading gets on this machine, or why none can be made (exit 2)."""

from __future__ import annotations

import click

from autograder.cli.options import (
    config_of,
    console,
    isolation_option,
)


@click.command("check-sandbox")
@isolation_option
@click.pass_context
def check_sandbox_command(ctx, isolation):
    """Say which sandbox grading gets on this machine, or why none can be made (exit 2)."""
    from autograder.reports.terminal import print_isolation
    from autograder.sandbox.launcher import choose_isolation

    print_isolation(console, choose_isolation(isolation or config_of(ctx).course.isolation).describe())
