"""A class graded on many machines with Dask distributed: the same jobs, the same sandbox.

Dask runs the same on a laptop (`--local-workers N`: a LocalCluster of real worker
processes), on plain GPU boxes, on Slurm/PBS/SGE/HTCondor through dask-jobqueue and on
JupyterHub through Dask Gateway. The client reads every submission itself and sends its
bytes with the job, so workers need no shared file system: each has its own checkout of
the course, stages its own training data, picks its threads and device, and grades in its
own sandbox with a warm judge per worker thread, and draws the student's feedback page
itself: the client only writes the JSON and the page it gets back.

A worker grades on its share of its machine's cores (`worker_cores`: the cores it may run
on, or AUTOGRADER_WORKER_CORES, which a LocalCluster sets to the machine's cores divided by
its workers): a numeric job's sandbox gets share / nthreads threads; a model assignment's
jobs run at most share / 2 at a time on a worker (at least one), each with its part of the
share, so no worker starts more trainings than its cores can feed.

A worker owns at most one GPU (`autograder worker --gpu N`, else the one Slurm or
CUDA_VISIBLE_DEVICES gave it, else the machine's only one) and declares it as the Dask
resource `GPU: 1`, as Dask expects GPU workers to; when any admitted worker has one, a
model assignment's jobs ask for it, so they run on GPU workers only, one at a time on each.

A worker takes an assignment's jobs only once it has shown that it grades exactly as the
client would: the `Admission` plugin compares its grader and hidden-suite fingerprints and
checks its sandbox, then grants it a resource named after those fingerprints; every job
asks for that resource, so a worker with another suite never sees one. A worker killed
mid-grade sends its job to another worker (Dask's own rescheduling); a job that kills
workers again and again is reported "not graded", never a 0.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import dask
from distributed import LocalCluster, WorkerPlugin
from distributed.security import Security

from autograder.config import GradingConfig, load_config
from autograder.cores import TRAINING_CORES, usable_cores
from autograder.devices import DEV, GPU, device_label, gpus, owned_gpu
from autograder.errors import GpuError, InstructorError
from autograder.fingerprints import grader_fingerprint, suite_fingerprint
from autograder.grading import GradeOptions, grade_prepared
from autograder.judges import JudgePool
from autograder.results import SubmissionResult
from autograder.submission import Submission

WORKER_CONFIG_ENV = "AUTOGRADER_WORKER_CONFIG"  # set by `autograder worker --config`: this machine's grading.toml
WORKER_CORES_ENV = "AUTOGRADER_WORKER_CORES"  # the cores one worker may use (a LocalCluster's share of this machine)
ADMISSION_SECONDS = 120
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DaskExecutor:
    """Where a batch runs: a scheduler's address, or a LocalCluster of `local_workers` processes here."""

    scheduler: str | None = None
    local_workers: int | None = None

    def __post_init__(self):
        if (self.scheduler is None) == (self.local_workers is None):
            raise InstructorError("The Dask executor needs either --scheduler ADDRESS or --local-workers N (not both).")


class Admission(WorkerPlugin):
    """A worker plugin: admits a worker to one assignment's jobs if it grades exactly as the client.

    An admitted worker gets the token resource (one per thread) and, when it owns a GPU, `GPU: 1`
    in the same step, so the client sees both at once. `dev`: where the worker's device nodes are.
    """

    def __init__(
        self,
        token: str,
        assignment: str,
        config: GradingConfig,
        language: str,
        isolation: str,
        grader: str,
        suite: str,
        dev: Path = DEV,
    ):
        self.token, self.assignment, self.language = token, assignment, language
        self.config, self.source = config.model_dump(mode="json"), str(config.source)
        self.isolation, self.grader, self.suite, self.dev = isolation, grader, suite, dev

    async def setup(self, worker) -> None:
        config = worker_config(self.config, self.source)
        problem = admission_problem(self.assignment, config, self.language, self.isolation, self.grader, self.suite)
        gpu = None
        if problem is None:
            try:
                gpu = worker_gpu(getattr(worker, "autograder_gpu_choice", None), config.course.device, self.dev)
            except GpuError as err:
                problem = str(err)
        refusals = getattr(worker, "autograder_refusals", {})
        refusals[self.token] = problem
        worker.autograder_refusals = refusals
        if problem is None:
            owned = getattr(worker, "autograder_gpus", {})
            owned[self.token] = gpu
            worker.autograder_gpus = owned
            kind = config.assignment(self.assignment).kind
            slots, threads = worker_slots(kind, worker.state.nthreads, worker_cores())
            sandbox_threads = getattr(worker, "autograder_threads", {})
            sandbox_threads[self.token] = (
                worker_cores() if gpu is not None and kind == "model" else threads
            )  # one at a time
            worker.autograder_threads = sandbox_threads
            _judges.start_ahead(config.suite_dir(self.assignment), slots)  # their imports, before the first job comes
            await worker.set_resources(**{self.token: slots}, **({GPU: 1} if gpu is not None else {}))
            from autograder.reports.plots import warm_quietly

            threading.Thread(
                target=warm_quietly, daemon=True
            ).start()  # the first page's fonts, before the first job ends


def worker_cores() -> int:
    """The cores this worker may use: AUTOGRADER_WORKER_CORES where set (a LocalCluster's share), else its CPU affinity."""
    try:
        return max(1, int(os.environ[WORKER_CORES_ENV]))
    except (KeyError, ValueError):
        return usable_cores()


def worker_slots(kind: str, nthreads: int, cores: int) -> tuple[int, int]:
    """(jobs of an assignment a worker runs at once, threads each job's sandbox gets) on `cores` cores.

    Numeric jobs: one per worker thread. Model jobs: one per TRAINING_CORES cores (at least one, at most nthreads),
    so that trainings never starve each other; each sandbox gets its part of the cores.
    """
    slots = max(1, nthreads)
    if kind == "model":
        slots = max(1, min(slots, cores // TRAINING_CORES))
    return slots, max(1, cores // slots)


def worker_gpu(choice: int | None, device: str, dev: Path = DEV) -> int | None:
    """The GPU a worker declares and trains on (`devices.owned_gpu`); none for a course that trains on the CPU."""
    gpu = owned_gpu(choice, device, dev=dev)  # refuses a --gpu N this machine lacks
    return None if device == "cpu" else gpu


def admission_problem(
    assignment: str, config: GradingConfig, language: str, isolation: str, grader: str, suite: str
) -> str | None:
    """Why this machine may not grade `assignment` for the client, or None when it may."""
    from autograder.sandbox.launcher import choose_isolation

    try:
        if grader_fingerprint() != grader:
            return "its grader is another version (update its checkout and reinstall)"
        if suite_fingerprint(config, assignment, language) != suite:
            return f"its hidden suite or settings of {assignment!r} differ from the client's (update its checkout)"
        choose_isolation(isolation)
    except InstructorError as err:
        return str(err)
    return None


def worker_config(content: dict, client_source: str) -> GradingConfig:
    """The client's settings, with this machine's checkout for the hidden suites and the data home.

    That checkout is the one `autograder worker --config` names; else the client's own path
    where it exists here too (a LocalCluster, a shared home); else this installation's.
    """
    source = os.environ.get(WORKER_CONFIG_ENV) or (
        client_source if Path(client_source).is_file() else str(load_config().source)
    )
    return GradingConfig.model_validate({**content, "source": Path(source)})


_judges = JudgePool(gpus=())  # lives as long as the worker: its judges die with it; its GPU is the worker's own


def grade_on_worker(
    submission: Submission,
    assignment: str,
    student: str,
    content: dict,
    client_source: str,
    options: GradeOptions,
    token: str,
) -> tuple[str, str | None]:
    """Runs on a Dask worker: one job, graded in this machine's sandbox by this thread's warm judge, on its GPU.

    Returns the result as JSON (the client reads it back through the results model, as a stored result) and the
    student's feedback page drawn here (None where it could not be drawn).
    """
    from distributed import get_worker

    from autograder.reports.student_page import render_student_page

    worker = get_worker()
    config = worker_config(content, client_source)
    judge = _judges.judge(config.suite_dir(assignment))
    threads = getattr(worker, "autograder_threads", {}).get(token) or max(
        1, worker_cores() // max(worker.state.nthreads, 1)
    )
    gpu = getattr(worker, "autograder_gpus", {}).get(token)  # what Admission declared for this assignment
    result = grade_prepared(
        submission, assignment, student, config=config, options=replace(options, threads=threads, gpu=gpu), judge=judge
    )
    result.graded_on.worker = worker.address
    try:
        page = render_student_page(result, data_home=config.data_home)
    except Exception:  # a picture failed here: the result stands, and the client draws the page or names why not
        page = None
    return result.model_dump_json(), page


def local_cluster(workers: int) -> LocalCluster:
    """`workers` Dask worker processes on this machine, each grading on its share of the cores, for this client only.

    The scheduler listens on 127.0.0.1, which every account on the machine can reach (students on the course's
    JupyterHub): without a key made for this run only (mutual TLS), any of them could submit code for the workers to
    run as the grader.
    """
    share = max(1, usable_cores() // workers)
    # The scheduler and workers serve HTTP pages (task names, so students' ids; logs; tracebacks) on 127.0.0.1
    # whether or not a dashboard is asked for: no route is served at all.
    with dask.config.set({"distributed.scheduler.http.routes": [], "distributed.worker.http.routes": []}):
        return LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            worker_dashboard_address=None,
            env={WORKER_CORES_ENV: str(share)},
            security=Security.temporary(),
        )


class DaskGrading:
    """A batch graded on a Dask cluster, with the same four steps as grading here (batch._LocalGrading).

    `start_ahead` starts the LocalCluster (or connects to the scheduler) and admits workers in a
    thread of its own while the client reads the class; `submit` sends each job as soon as the
    cluster has admitted a worker (jobs read before that wait for it); `finished` yields
    (student, result or None, why not graded, the page the worker drew or None) as jobs end.
    """

    def __init__(self, executor: DaskExecutor, assignment: str, *, config: GradingConfig, options: GradeOptions):
        self.executor, self.assignment, self.config = executor, assignment, config
        language = options.language or config.course.language
        isolation = options.isolation or config.course.isolation
        if isolation == "subprocess" and executor.scheduler is not None:
            raise InstructorError(
                'A remote Dask executor needs a sandbox on every worker: grade with isolation = "auto", '
                "or use --local-workers on this machine."
            )
        self.language, self.isolation = language, isolation
        self.options = replace(options, language=language, isolation=isolation)
        self._content = config.model_dump(mode="json")
        self._token = ""
        self._cluster = self._client = None
        self._resources: dict[str, float] = {}
        self._waiting: list[tuple[str, Submission]] = []
        self._futures: dict = {}
        self._lock = threading.Lock()
        self._starter: threading.Thread | None = None
        self._open = False  # set once the cluster has admitted a worker (or failed): jobs then go straight to it
        self._problem: BaseException | None = None

    def start_ahead(self, judges: int = 0) -> None:
        """Start the cluster and admit its workers in the background (`judges`: unused, each worker starts its own)."""
        if self._starter is None:
            self._starter = threading.Thread(target=self._start, daemon=True)
            self._starter.start()

    def _start(self) -> None:
        from distributed import Client

        try:
            grader, suite = grader_fingerprint(), suite_fingerprint(self.config, self.assignment, self.language)
            self._token = token = "autograder-" + hashlib.sha256(f"{grader}:{suite}".encode()).hexdigest()[:16]
            if self.executor.local_workers:
                self._cluster = local_cluster(self.executor.local_workers)
            self._client = client = Client(self._cluster or self.executor.scheduler)
            if self._cluster is not None and self.config.course.device != "cpu":
                spread_gpus(client, gpus())
            client.register_plugin(
                Admission(token, self.assignment, self.config, self.language, self.isolation, grader, suite), name=token
            )
            admitted = _wait_for_admission(client, token)
            log.info("Dask: %d worker(s) admitted to %s", len(admitted), self.assignment)
            self._resources = job_resources(
                token, self.config.assignment(self.assignment).kind, self.config.course.device, admitted
            )
        except BaseException as err:  # said by `finished`, in the thread that grades
            self._problem = err
        with self._lock:
            waiting, self._waiting, self._open = self._waiting, [], True
        for student, submission in waiting:
            self._send(student, submission)

    def submit(self, student: str, submission: Submission, page: Path | None = None) -> None:
        self.start_ahead()
        with self._lock:
            if not self._open:
                self._waiting.append((student, submission))
                return
        self._send(student, submission)

    def _send(self, student: str, submission: Submission) -> None:
        if self._problem is not None or self._client is None:
            return
        future = self._client.submit(
            grade_on_worker,
            submission,
            self.assignment,
            student,
            self._content,
            str(self.config.source),
            self.options,
            self._token,
            resources=self._resources,
            pure=False,
            key=f"grade-{student}-{self._token}",
        )
        with self._lock:
            self._futures[future] = student

    def finished(self) -> Iterator[tuple[str, SubmissionResult | None, str, object]]:
        from distributed import KilledWorker, as_completed

        if self._starter is None:
            return
        self._starter.join()
        if self._problem is not None:
            raise self._problem
        with self._lock:
            futures = dict(self._futures)
        for future in as_completed(futures):
            student = futures[future]
            try:
                answer, page = future.result()
                yield student, SubmissionResult.model_validate_json(answer), "", page
            except KilledWorker:
                yield student, None, "not graded: it stopped the worker grading it each time it was tried", None
            except InstructorError as err:
                yield student, None, str(err), None

    def close(self) -> None:
        if self._starter is not None:
            self._starter.join()
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def spread_gpus(client, present: list[int]) -> None:
    """A LocalCluster's workers take this machine's GPUs in turn, as `grade-all -w N` slots do."""
    if len(present) < 2:  # one GPU: every worker owns it anyway; none: nothing to spread
        return
    for slot, address in enumerate(sorted(client.scheduler_info(n_workers=-1)["workers"])):
        gpu = present[slot % len(present)]
        client.run(lambda dask_worker, gpu=gpu: setattr(dask_worker, "autograder_gpu_choice", gpu), workers=[address])


def job_resources(token: str, kind: str, device: str, workers: list[dict]) -> dict[str, float]:
    """What each job of an assignment asks of a worker, given the workers' declared resources.

    Every job needs the admission token. A model assignment's job also needs a GPU when an
    admitted worker has one (and the course does not train on the CPU): it then waits for a GPU
    worker rather than training for many minutes on a CPU one. Numeric assignments never ask.
    """
    resources: dict[str, float] = {token: 1}
    if kind == "model" and device != "cpu" and any(token in declared and GPU in declared for declared in workers):
        resources[GPU] = 1
    return resources


def refusals(client, token: str) -> dict[str, str]:
    """Each worker's reason for refusing the assignment, by address."""
    answers = client.run(
        lambda dask_worker: getattr(dask_worker, "autograder_refusals", {}).get(token, "not checked yet")
    )
    return {address: answer for address, answer in answers.items() if answer}


def _wait_for_admission(client, token: str, timeout: float = ADMISSION_SECONDS) -> list[dict]:
    """The resources of the workers admitted so far, once there is one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        workers = [info.get("resources") or {} for info in client.scheduler_info(n_workers=-1)["workers"].values()]
        admitted = [declared for declared in workers if token in declared]
        if admitted:
            return admitted
        time.sleep(0.2)
    reasons = refusals(client, token)
    detail = "; ".join(f"{address} refused: {why}" for address, why in reasons.items()) or "no worker joined"
    raise InstructorError(f"No Dask worker may grade this assignment ({detail}).")


def run_worker(
    config: GradingConfig,
    scheduler: str,
    *,
    nthreads: int = 1,
    name: str | None = None,
    console=None,
    gpu: int | None = None,
    dev: Path = DEV,
) -> None:
    """`autograder worker`: check this machine (sandbox, data), then grade for `scheduler` until it goes away.

    Whether its grader and hidden suites match the client's is checked per assignment, when
    a client sends work (`Admission`). `gpu` is `--gpu N`: refused at once when there is no
    /dev/nvidiaN; without it the worker takes the GPU `devices.owned_gpu` finds, if any.
    """
    import asyncio

    from autograder.data import survey
    from autograder.sandbox.launcher import choose_isolation
    from autograder.sandbox.probe import probe

    owned = worker_gpu(gpu, config.course.device, dev)
    if not probe().works:  # a worker always sandboxes: there is no opting out here
        raise InstructorError(probe().cause)
    found = choose_isolation("auto")
    if any(spec.trains_on_fashion_mnist for spec in config.assignments.values()):
        bad = [status for status in survey(config.data_home) if not status.ok]
        if bad:
            raise InstructorError(
                f"This worker's data home {config.data_home} has {len(bad)} missing or damaged files; "
                "run `autograder data install` here first."
            )
    os.environ[WORKER_CONFIG_ENV] = str(config.source)
    if console is not None:
        where = device_label("cuda", owned) if owned is not None else "the CPU"
        console.print(
            f"worker: grading with {config.source} ({found.describe().split(':')[0]}) on {where}, "
            f"{nthreads} at a time; joining {scheduler}",
            highlight=False,
        )
        if owned is None and len(gpus(dev)) > 1 and config.course.device != "cpu":
            console.print(
                f"worker: this machine has {len(gpus(dev))} GPUs; start one worker per GPU with --gpu N "
                "to train on them.",
                highlight=False,
            )
    asyncio.run(_serve(scheduler, nthreads, name, gpu, owned))


async def _serve(
    scheduler: str, nthreads: int, name: str | None, choice: int | None = None, owned: int | None = None
) -> None:
    """Run a Dask worker until its scheduler goes away; one that owns a GPU declares it from the start."""
    from distributed import Worker

    worker = Worker(scheduler, nthreads=nthreads, name=name, resources={GPU: 1} if owned is not None else None)
    worker.autograder_gpu_choice = choice  # set before it joins: Admission reads it
    async with worker:
        await worker.finished()
