"""Sandbox-side drivers of assignment 05: build_model() and train() on the four XOR points.

Runs inside the sandbox beside the grader's generic drivers (autograder/sandbox/drivers.py), which the launcher
copies there with this file as assignment_drivers.py; it imports only the standard library, numpy, what the
submission itself uses, and `drivers`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drivers import driver, seed_everything

if TYPE_CHECKING:
    import numpy as np
    import torch


def _xor_points() -> tuple[torch.Tensor, torch.Tensor]:
    import torch

    return (torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), torch.tensor([[0.0], [1.0], [1.0], [0.0]]))


def _as_points(points: Any) -> torch.Tensor:
    """The grader's extra probe points (or none) as a float32 tensor of shape (P, 2)."""
    import numpy as np
    import torch

    return torch.as_tensor(np.asarray(points if points is not None else np.zeros((0, 2))), dtype=torch.float32)


def _xor_problem(kind: str, got: object, when: str = "") -> dict[str, Any]:
    """What went wrong, as data: the grader words it (in either language) from `kind`."""
    return {"problem": {"kind": kind, "got": type(got).__name__, "when": when}, "outputs": None}


def _xor_outputs(model: Any, x: torch.Tensor) -> tuple[np.ndarray | None, Any]:
    """The model's outputs on the XOR points in eval mode as float64 numpy, and what came back instead if not a tensor."""
    import numpy as np
    import torch

    model.eval()
    with torch.no_grad():
        out = model(x.clone())
    if not isinstance(out, torch.Tensor):
        return None, out
    return np.asarray(out.detach().cpu().double().numpy()), None


@driver
def xor_untrained(module: Any, seed: int, points: Any = None, repeats: int = 1) -> dict[str, Any]:
    """build_model() under the grader's seed; untrained outputs on the XOR points, and on
    `points` for `repeats` models built from seeds seed, seed + 1, ... (stacked)."""
    import numpy as np
    import torch

    torch.set_num_threads(1)
    x, _ = _xor_points()
    extra = _as_points(points)
    outputs, probes = None, []
    for k in range(max(1, int(repeats))):
        seed_everything(seed + k, "torch")
        model = module.build_model()
        if not isinstance(model, torch.nn.Module):
            return _xor_problem("build", model)
        if k == 0:
            outputs, wrong = _xor_outputs(model, x)
            if outputs is None:
                return _xor_problem("output", wrong, "before")
        probe, wrong = _xor_outputs(model, extra)
        if probe is None:
            return _xor_problem("output", wrong, "before")
        probes.append(probe)
    return {"problem": None, "outputs": outputs, "probe": np.concatenate(probes)}


@driver
def xor_train(module: Any, seed: int, points: Any = None) -> dict[str, Any]:
    """build_model() then train(model, X, Y) under the grader's seed; outputs afterwards (XOR points, `points`)."""
    import torch

    torch.set_num_threads(1)
    seed_everything(seed, "torch")
    model = module.build_model()
    if not isinstance(model, torch.nn.Module):
        return _xor_problem("build", model)
    x, y = _xor_points()
    trained = module.train(model, x.clone(), y.clone())
    if not isinstance(trained, torch.nn.Module):
        return _xor_problem("train", trained)
    outputs, wrong = _xor_outputs(trained, x)
    if outputs is None:
        return _xor_problem("output", wrong, "after")
    probe, _ = _xor_outputs(trained, _as_points(points))
    return {
        "problem": None,
        "outputs": outputs,
        "probe": probe,
        "parameters": int(sum(p.numel() for p in trained.parameters())),
    }
