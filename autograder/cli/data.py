"""`autograder data`: Fashion-MNIST: install it into the data home, or verify what is there."""

from __future__ import annotations

import sys

import click

from autograder.cli.options import (
    config_of,
)


@click.group("data")
def data_group():
    """Fashion-MNIST: install it into the data home, or verify what is there."""


@data_group.command("verify")
@click.pass_context
def data_verify(ctx):
    """Show which data files are present and verified; exit 1 if any is not."""
    from autograder.data.commands import verify_command

    sys.exit(verify_command(config_of(ctx.parent).data_home))


@data_group.command("install")
@click.pass_context
def data_install(ctx):
    """Fetch whatever is missing (Debian's package first, then the official mirrors)."""
    from autograder.data.commands import install_command

    sys.exit(install_command(config_of(ctx.parent).data_home))
