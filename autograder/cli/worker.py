"""`autograder worker`: join a Dask cluster as a grading worker, after checking this machine's data and sandbox."""

from __future__ import annotations

import click

from autograder.cli.options import (
    config_of,
    console,
)


@click.command("worker")
@click.option(
    "--scheduler",
    required=True,
    metavar="ADDRESS",
    help="The Dask scheduler to join, e.g. tls://grader.example.edu:8786.",
)
@click.option(
    "--nthreads",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Submissions this worker grades at once.",
)
@click.option("--name", default=None, help="The worker's name in the cluster (default: Dask's).")
@click.option(
    "--gpu",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="The GPU this worker trains on, N of /dev/nvidiaN (default: the first Slurm or CUDA_VISIBLE_DEVICES "
    "gave it, else the machine's only GPU, else none).",
)
@click.pass_context
def worker_command(ctx, scheduler, nthreads, name, gpu):
    """Join a Dask cluster as a grading worker, after checking this machine's data and sandbox."""
    from autograder.cluster import run_worker

    run_worker(config_of(ctx), scheduler, nthreads=nthreads, name=name, console=console, gpu=gpu)
