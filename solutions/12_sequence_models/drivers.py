"""Sandbox-side drivers of assignment 12: build_model(kind) and one forward pass.

Runs inside the sandbox beside the grader's generic drivers (autograder/sandbox/drivers.py), which the launcher
copies there with this file as assignment_drivers.py; it imports only the standard library, numpy, what the
submission itself uses, and `drivers`.
"""

from __future__ import annotations

from typing import Any

from drivers import driver, framework_of


@driver
def sequence_forward(module: Any, kind: str, x: Any, seed: int = 0) -> dict[str, Any]:
    """build_model(kind) and one forward pass without gradients: logits and layer names."""
    import torch

    torch.manual_seed(seed)
    model = module.build_model(kind)
    if framework_of(model) != "torch":
        raise TypeError(f"build_model({kind!r}) returned {type(model).__name__}, not a torch.nn.Module")
    model.eval()
    with torch.no_grad():
        logits = model(torch.as_tensor(x, dtype=torch.float32))
        single = model(torch.as_tensor(x[:1], dtype=torch.float32))
    return {"logits": logits, "first_alone": single, "layers": [type(m).__name__ for m in model.modules()]}
