"""Does each grading process get exactly its GPU, with no GPU machine needed to check it?

A temporary folder of empty files named like NVIDIA's device nodes stands in for /dev: the
sandbox's argv and environment, the choice of a worker's GPU, the resources a job asks a
Dask cluster for, and the spread of local judge slots over several GPUs.
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest

from autograder.cluster import Admission, _serve, _wait_for_admission, job_resources, run_worker, spread_gpus
from autograder.config import Limits, load_config
from autograder.devices import GPU, cuda_environment, device_label, gpus, owned_gpu, placement
from autograder.errors import GpuError, InstructorError
from autograder.fingerprints import grader_fingerprint, suite_fingerprint
from autograder.grading import GradeOptions
from autograder.judges import JudgePool
from autograder.sandbox import launcher
from tests.support import DEMO_CONFIG

TOKEN = "autograder-0123456789abcdef"
GPU_VARIABLES = ("CUDA_VISIBLE_DEVICES", "SLURM_STEP_GPUS", "SLURM_JOB_GPUS")


@pytest.fixture
def dev(tmp_path) -> Path:
    """Two GPUs and the driver's control nodes, as empty files."""
    folder = tmp_path / "dev"
    folder.mkdir()
    for name in ("nvidia0", "nvidia1", "nvidiactl", "nvidia-uvm"):
        (folder / name).touch()
    return folder


def one_gpu(tmp_path) -> Path:
    folder = tmp_path / "one-gpu"
    folder.mkdir()
    for name in ("nvidia0", "nvidiactl", "nvidia-uvm"):
        (folder / name).touch()
    return folder


def bound(argv: list[str]) -> dict[str, str]:
    """What the sandbox binds from where: {inside: outside} for every --dev-bind."""
    return {argv[i + 2]: argv[i + 1] for i, flag in enumerate(argv) if flag == "--dev-bind"}


def sandbox_argv(tmp_path: Path, device: str, gpu: int | None, dev: Path) -> list[str]:
    layout = launcher.stage(tmp_path / "staging", {"demo.py": b"x = 1\n"}, None)
    isolation = launcher.Isolation("bubblewrap", None, rootless=True)
    argv, _ = launcher.command(isolation, layout, "{}", device, gpu, dev, scratch_mb=Limits().scratch_mb)
    return argv


# -- the sandbox ------------------------------------------------------------------------------


def test_child_of_gpu_1_gets_its_node_and_the_control_nodes_only(tmp_path, dev):
    """Does a child owning GPU 1 see /dev/nvidia1 and the control nodes, but not /dev/nvidia0?"""
    binds = bound(sandbox_argv(tmp_path, "cuda", 1, dev))
    assert binds == {
        "/dev/nvidia1": str(dev / "nvidia1"),
        "/dev/nvidiactl": str(dev / "nvidiactl"),
        "/dev/nvidia-uvm": str(dev / "nvidia-uvm"),
    }
    env = launcher.child_environment(4, "cuda", 1, sandboxed=True)
    assert env["CUDA_VISIBLE_DEVICES"] == "0"  # its only GPU node: CUDA numbers it 0 inside
    assert env["CUDA_DEVICE_ORDER"] == "PCI_BUS_ID"


def test_unsandboxed_child_of_gpu_1_is_held_to_it_by_cuda_visible_devices():
    """Without bubblewrap every node is there: does CUDA_VISIBLE_DEVICES name GPU 1 in the driver's order?"""
    env = launcher.child_environment(4, "cuda", 1, sandboxed=False)
    assert (env["CUDA_VISIBLE_DEVICES"], env["CUDA_DEVICE_ORDER"]) == ("1", "PCI_BUS_ID")


def test_cpu_child_gets_no_nvidia_node_and_no_visible_gpu(tmp_path, dev):
    """With device "cpu", is nothing NVIDIA bound and CUDA_VISIBLE_DEVICES empty, whatever GPU is named?"""
    argv = sandbox_argv(tmp_path, "cpu", 1, dev)
    assert bound(argv) == {}
    assert not any(arg.startswith((str(dev), "/dev/nvidia", "/proc/driver/nvidia")) for arg in argv)
    for sandboxed in (True, False):
        assert launcher.child_environment(1, "cpu", 1, sandboxed=sandboxed)["CUDA_VISIBLE_DEVICES"] == ""
    assert cuda_environment(None, sandboxed=True) == {"CUDA_VISIBLE_DEVICES": ""}


def test_optional_control_nodes_are_bound_when_present(tmp_path, dev):
    """Are nvidia-uvm-tools, nvidia-modeset and the nvidia-caps folder bound where the machine has them?"""
    (dev / "nvidia-uvm-tools").touch()
    (dev / "nvidia-modeset").touch()
    (dev / "nvidia-caps").mkdir()
    binds = bound(sandbox_argv(tmp_path, "cuda", 0, dev))
    assert set(binds) == {
        "/dev/nvidia0",
        "/dev/nvidiactl",
        "/dev/nvidia-uvm",
        "/dev/nvidia-uvm-tools",
        "/dev/nvidia-modeset",
        "/dev/nvidia-caps",
    }


# -- which GPU a worker owns ----------------------------------------------------------------


def test_gpus_are_the_numbered_nodes_only(dev):
    (dev / "nvidia10").touch()
    assert gpus(dev) == [0, 1, 10]
    assert gpus(dev / "missing") == []


@pytest.mark.parametrize(
    "explicit, environ, device, expected",
    [
        (0, {"SLURM_JOB_GPUS": "1", "CUDA_VISIBLE_DEVICES": "1"}, "auto", 0),  # --gpu first
        (
            None,
            {"SLURM_JOB_GPUS": "1", "CUDA_VISIBLE_DEVICES": "0"},
            "auto",
            1,
        ),  # Slurm's global number beats its local CVD
        (None, {"SLURM_STEP_GPUS": "0", "SLURM_JOB_GPUS": "1"}, "auto", 0),  # the step's before the job's
        (None, {"CUDA_VISIBLE_DEVICES": "1,0"}, "auto", 1),  # the first entry
        (None, {"CUDA_VISIBLE_DEVICES": "1"}, "cpu", 1),  # an inherited index before the course's device
        (None, {"CUDA_VISIBLE_DEVICES": ""}, "auto", None),  # an empty list hides every GPU
        (None, {"CUDA_VISIBLE_DEVICES": "GPU-5f1e2d3c"}, "auto", None),  # not a plain index; two GPUs: none
        (None, {"CUDA_VISIBLE_DEVICES": "7"}, "auto", None),  # no /dev/nvidia7: passed over
        (None, {}, "cpu", None),
        (None, {}, "auto", None),  # two GPUs and nothing to choose by
    ],
)
def test_worker_gpu_follows_the_precedence(dev, explicit, environ, device, expected):
    assert owned_gpu(explicit, device, environ=environ, dev=dev) == expected


def test_the_only_gpu_is_owned_unless_the_course_trains_on_the_cpu(tmp_path):
    folder = one_gpu(tmp_path)
    assert owned_gpu(None, "auto", environ={}, dev=folder) == 0
    assert owned_gpu(None, "cuda", environ={}, dev=folder) == 0
    assert owned_gpu(None, "cpu", environ={}, dev=folder) is None
    assert owned_gpu(None, "auto", environ={"CUDA_VISIBLE_DEVICES": "3"}, dev=folder) == 0  # no nvidia3: the only one


def test_gpu_3_without_its_node_is_refused_in_one_sentence(dev, tmp_path):
    """Does `--gpu 3` on a machine without /dev/nvidia3 stop with one sentence naming the GPUs there are?"""
    with pytest.raises(GpuError) as refused:
        owned_gpu(3, "auto", environ={}, dev=dev)
    message = str(refused.value)
    assert isinstance(refused.value, InstructorError)
    assert message == f"There is no GPU 3 here (no {dev / 'nvidia3'}): give --gpu one of 0, 1, or leave --gpu out."
    with pytest.raises(GpuError, match=r"^There is no GPU 3 here \(.*nor any other NVIDIA GPU\): leave --gpu out"):
        owned_gpu(3, "auto", environ={}, dev=tmp_path)
    with pytest.raises(GpuError):  # the worker refuses before it checks anything else or joins
        run_worker(load_config(DEMO_CONFIG), "tcp://127.0.0.1:9", gpu=3, dev=dev)


@pytest.mark.skipif(Path("/dev/nvidia3").exists(), reason="this machine has a GPU 3")
def test_worker_command_prints_the_sentence_and_exits_2():
    from click.testing import CliRunner

    from autograder.cli import main

    outcome = CliRunner().invoke(
        main, ["--config", str(DEMO_CONFIG), "worker", "--scheduler", "tcp://127.0.0.1:9", "--gpu", "3"]
    )
    assert outcome.exit_code == 2
    assert outcome.output.startswith("error: There is no GPU 3 here (no /dev/nvidia3")
    assert outcome.output.count(". ") == 0 and outcome.output.rstrip().endswith(".")


# -- what a job asks the cluster for ---------------------------------------------------------


@pytest.mark.parametrize(
    "kind, device, workers, wants_gpu",
    [
        ("model", "auto", [{TOKEN: 2}, {TOKEN: 1, GPU: 1}], True),
        ("model", "cuda", [{TOKEN: 1, GPU: 1}], True),
        ("model", "auto", [{TOKEN: 2}, {TOKEN: 2}], False),  # no GPU worker: CPU workers take the jobs
        (
            "model",
            "auto",
            [{TOKEN: 2}, {"autograder-other": 1, GPU: 1}],
            False,
        ),  # a GPU worker not admitted to this one
        ("model", "cpu", [{TOKEN: 1, GPU: 1}], False),  # the course trains on the CPU
        ("numeric", "auto", [{TOKEN: 1, GPU: 1}], False),  # numeric assignments never ask
    ],
)
def test_model_jobs_ask_for_a_gpu_only_where_an_admitted_worker_has_one(kind, device, workers, wants_gpu):
    expected = {TOKEN: 1, GPU: 1} if wants_gpu else {TOKEN: 1}
    assert job_resources(TOKEN, kind, device, workers) == expected


# -- local grading: judge slots over GPUs ----------------------------------------------------


def slot_gpus(pool: JudgePool, threads: int) -> list[int | None]:
    """The GPU of each of `threads` threads' judges, in the order the threads asked."""
    found: list[int | None] = []
    for _ in range(threads):  # one after the other, so that slot order is thread order
        worker = threading.Thread(target=lambda: found.append(pool.judge(Path("suite")).gpu))
        worker.start()
        worker.join()
    return found


def test_judge_slots_take_the_gpus_in_turn():
    """Does `grade-all -w 5` on two GPUs give the slots GPUs 0, 1, 0, 1, 0, each slot keeping its own?"""
    pool = JudgePool(gpus=[0, 1])
    assert slot_gpus(pool, 5) == [0, 1, 0, 1, 0]
    first = pool.judge(Path("suite"))
    assert pool.judge(Path("other suite")).gpu == first.gpu  # a thread keeps its GPU for every suite
    assert slot_gpus(JudgePool(gpus=[3]), 3) == [3, 3, 3]  # one GPU: every slot shares it
    assert slot_gpus(JudgePool(gpus=()), 2) == [None, None]  # no GPU
    pool.close()


def test_placement_names_the_gpu_the_child_gets(tmp_path, dev):
    """Which device and GPU does one submission get, and how does its result name them?"""
    course = load_config(DEMO_CONFIG).course.device  # "auto"
    auto = GradeOptions().gpu
    assert placement(course, auto, 1, dev) == ("cuda", 1)  # the judge slot's GPU
    assert placement(course, auto, None, dev) == ("cuda", 0)  # no slot: this machine's first GPU
    assert placement(course, 1, 0, dev) == ("cuda", 1)  # a worker's own wins over the slot's
    assert placement(course, None, None, dev) == ("cpu", None)  # a worker without a GPU
    assert placement("cpu", 1, None, dev) == ("cpu", None)
    assert placement(course, auto, None, tmp_path) == ("cpu", None)  # no GPU here at all
    assert [device_label("cuda", 1), device_label("cpu", None), device_label("cuda", None)] == ["cuda:1", "cpu", "cuda"]


# -- a real Dask scheduler: the worker's GPU in its resources ------------------------------


@pytest.fixture
def demo_admission(monkeypatch):
    """Admission to the demo assignment for a worker whose device nodes are in `dev` (no GPU inherited from here)."""
    from autograder.sandbox.probe import probe

    if not probe().works:
        pytest.skip(probe().cause)
    for name in GPU_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    config = load_config(DEMO_CONFIG)
    suite = suite_fingerprint(config, "demo", "en")
    return lambda dev: Admission(TOKEN, "demo", config, "en", "auto", grader_fingerprint(), suite, dev=dev)


def test_admitted_worker_declares_its_gpu_to_the_scheduler(tmp_path, demo_admission):
    """On a machine with one GPU, does an admitted worker show `GPU` beside its token, and model jobs ask for it?"""
    from distributed import Client, LocalCluster

    admission = demo_admission(one_gpu(tmp_path))
    with (
        LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        client.register_plugin(admission, name=TOKEN)
        admitted = _wait_for_admission(client, TOKEN, timeout=60)
        (address,) = client.scheduler_info(n_workers=-1)["workers"]
        owned = client.run(lambda dask_worker: dask_worker.autograder_gpus)[address]
    assert admitted == [{TOKEN: 2, GPU: 1}]
    assert owned == {TOKEN: 0}
    assert job_resources(TOKEN, "model", load_config(DEMO_CONFIG).course.device, admitted) == {TOKEN: 1, GPU: 1}


def test_local_workers_take_the_gpus_in_turn(dev, demo_admission):
    """Do the three workers of `--local-workers 3` on two GPUs own GPUs 0, 1 and 0, each declaring one?"""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=3, threads_per_worker=1, processes=False, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        spread_gpus(client, gpus(dev))
        client.register_plugin(demo_admission(dev), name=TOKEN)
        _wait_for_admission(client, TOKEN, timeout=60)
        owned = client.run(lambda dask_worker: dask_worker.autograder_gpus[TOKEN])
        declared = {
            address: info["resources"] for address, info in client.scheduler_info(n_workers=-1)["workers"].items()
        }
    assert [owned[address] for address in sorted(owned)] == [0, 1, 0]
    assert all(resources == {TOKEN: 1, GPU: 1} for resources in declared.values())


def test_autograder_worker_with_a_gpu_declares_it_when_it_joins():
    """Does the worker `autograder worker --gpu 1` starts show `GPU: 1` to the scheduler before any client comes?"""
    from distributed import Scheduler

    async def joined() -> dict:
        async with Scheduler(host="127.0.0.1", port=0, dashboard_address=None) as scheduler:
            serving = asyncio.ensure_future(_serve(scheduler.address, 1, "gpu-1", choice=1, owned=1))
            deadline = time.monotonic() + 60
            while not scheduler.workers and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            (state,) = scheduler.workers.values()
            resources = dict(state.resources)
            serving.cancel()
            try:
                await serving
            except asyncio.CancelledError:
                pass
            return resources

    assert asyncio.run(joined()) == {GPU: 1}
