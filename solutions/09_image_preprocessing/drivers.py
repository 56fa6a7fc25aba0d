"""Sandbox-side drivers of assignment 09: prepare_image() on a PIL image built in the sandbox.

Runs inside the sandbox beside the grader's generic drivers (autograder/sandbox/drivers.py), which the launcher
copies there with this file as assignment_drivers.py; it imports only the standard library, numpy, what the
submission itself uses, and `drivers`.
"""

from __future__ import annotations

from typing import Any

from drivers import driver


@driver
def prepare_pil_image(module: Any, pixels: Any, mode: str) -> Any:
    """prepare_image() on a PIL image built here from uint8 pixels (PIL objects cannot cross the wire)."""
    import numpy as np
    from PIL import Image

    image = Image.fromarray(np.asarray(pixels, dtype=np.uint8)).convert(mode)
    return module.prepare_image(image)
