"""Which NVIDIA GPU a grading process owns, and what a child needs to use exactly that one.

A GPU is named by the number of its device node: GPU 1 is /dev/nvidia1 (the driver's minor
number, which is also nvidia-smi's index on an ordinary machine). A Dask worker owns at
most one GPU and declares it to the scheduler as the resource `GPU`; local grading spreads
its judges over the machine's GPUs. The sandbox then binds only that GPU's node beside the
driver's control nodes, so a student's code cannot reach another GPU even if it ignores
CUDA_VISIBLE_DEVICES.

`dev` is the folder holding the device nodes, /dev everywhere but in tests.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from autograder.errors import GpuError

DEV = Path("/dev")
GPU = "GPU"  # the Dask resource a worker with a GPU declares and a model assignment's jobs ask for
CONTROL_NODES = ("nvidiactl", "nvidia-uvm", "nvidia-uvm-tools", "nvidia-modeset", "nvidia-caps")
# Slurm's own GPU numbers (those of gres.conf, File=/dev/nvidiaN) stay global when the job's
# devices are confined by cgroups, while Slurm then renumbers CUDA_VISIBLE_DEVICES from 0.
SLURM_GPU_VARIABLES = ("SLURM_STEP_GPUS", "SLURM_JOB_GPUS")


def gpus(dev: Path = DEV) -> list[int]:
    """This machine's GPUs: the N of every /dev/nvidiaN, in order."""
    found = (re.fullmatch(r"nvidia(\d+)", path.name) for path in dev.glob("nvidia*"))
    return sorted(int(match.group(1)) for match in found if match)


def owned_gpu(
    explicit: int | None = None, device: str = "auto", *, environ: Mapping[str, str] = os.environ, dev: Path = DEV
) -> int | None:
    """The GPU a grading worker owns, or None: it grades on the CPU.

    In this order: `--gpu N`; the first GPU Slurm gave the job (SLURM_STEP_GPUS, SLURM_JOB_GPUS);
    the first entry of an inherited CUDA_VISIBLE_DEVICES when it is a plain index (an empty one
    means no GPU, as it does to CUDA); none when the course trains on the CPU; the machine's
    GPU when it has exactly one. An inherited number whose node is missing is passed over;
    `--gpu N` without /dev/nvidiaN is refused.
    """
    present = gpus(dev)
    if explicit is not None:
        if explicit not in present:
            node = dev / f"nvidia{explicit}"
            if present:
                raise GpuError(
                    f"There is no GPU {explicit} here (no {node}): give --gpu one of "
                    f"{', '.join(map(str, present))}, or leave --gpu out."
                )
            raise GpuError(
                f"There is no GPU {explicit} here (no {node}, nor any other NVIDIA GPU): leave --gpu out "
                "to grade on the CPU."
            )
        return explicit
    for name in (*SLURM_GPU_VARIABLES, "CUDA_VISIBLE_DEVICES"):
        value = environ.get(name)
        if value is None:
            continue
        first = value.split(",")[0].strip()
        if name == "CUDA_VISIBLE_DEVICES" and first in ("", "-1"):
            return None
        if first.isdigit() and int(first) in present:
            return int(first)
    if device == "cpu":
        return None
    return present[0] if len(present) == 1 else None


def gpu_nodes(gpu: int, dev: Path = DEV) -> list[Path]:
    """The device nodes a child needs for GPU `gpu` and no other: its own and the driver's control nodes."""
    return [path for path in (dev / f"nvidia{gpu}", *(dev / name for name in CONTROL_NODES)) if path.exists()]


def cuda_environment(gpu: int | None, *, sandboxed: bool) -> dict[str, str]:
    """CUDA_VISIBLE_DEVICES for a child that owns `gpu` (None: no GPU at all).

    In the sandbox (`sandboxed`) the child can open only its own GPU's node, and CUDA numbers
    only the GPUs a process can open, from 0 (Slurm relies on the same when it confines a
    job's devices and sets CUDA_VISIBLE_DEVICES=0): there the GPU is "0", whatever its number
    outside. A child that sees every node (isolation = "subprocess") is held to its GPU by the
    index alone, so CUDA must count as the driver numbers the nodes: CUDA_DEVICE_ORDER=PCI_BUS_ID
    orders GPUs by PCI bus, the order in which the driver numbers /dev/nvidiaN (and nvidia-smi
    its indices); CUDA's default, fastest first, differs on a machine with mixed GPUs.
    """
    if gpu is None:
        return {"CUDA_VISIBLE_DEVICES": ""}
    return {"CUDA_VISIBLE_DEVICES": "0" if sandboxed else str(gpu), "CUDA_DEVICE_ORDER": "PCI_BUS_ID"}


def device_label(device: str, gpu: int | None) -> str:
    """How a result names where it was trained: "cpu", "cuda", or "cuda:1" for GPU 1 of its machine."""
    return f"cuda:{gpu}" if device == "cuda" and gpu is not None else device


def placement(
    course_device: str, requested: int | Literal["auto"] | None, slot_gpu: int | None = None, dev: Path = DEV
) -> tuple[str, int | None]:
    """(device, GPU) for one submission: where its child trains, and the one GPU it may use.

    `course_device` is grading.toml's course.device ("auto": "cuda" where this machine has a
    GPU), and "cpu" wins over any GPU asked for. `requested` is the GPU asked for (a Dask
    worker's own; None: none, train on the CPU); "auto" takes `slot_gpu`, the GPU of the judge
    slot that grades it (judges.JudgePool), else this machine's first.
    """
    device = course_device if course_device != "auto" else ("cuda" if gpus(dev) else "cpu")
    if device == "cpu" or requested is None:
        return "cpu", None
    if requested != "auto":
        return "cuda", requested
    if slot_gpu is not None:
        return "cuda", slot_gpu
    present = gpus(dev)
    return "cuda", present[0] if present else None
