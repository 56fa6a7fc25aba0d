"""Orchestration that runs inside the sandbox for assignments graded by training.

A driver receives the student's module, calls its functions in the order an assignment
prescribes (build, train, predict) and returns plain predictions. It never judges: the
parent compares what comes back with answers the child never sees. Runs in the sandbox,
so it imports only the standard library, numpy and what the submission itself uses.

The drivers here are the ones several assignments share (call_catching, the Fashion-MNIST
pipeline); one assignment's own drivers live in its folder, solutions/NN_NAME/drivers.py,
which the launcher copies beside this file as assignment_drivers.py and which registers its
drivers here with @driver when this module is imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import numpy as np

_F = TypeVar("_F", bound="Callable[..., Any]")

DRIVERS: dict[str, Callable[..., Any]] = {}


def driver(function: _F) -> _F:
    """Register a function as a driver under its own name."""
    DRIVERS[function.__name__] = function
    return function


@driver
def call_catching(module: Any, function: str, args: list[Any], kwargs: dict[str, Any] | None = None) -> dict[str, Any]:
    """Call one student function and report the exception it raised, by its class names.

    The parent learns whether the error is, say, a ValueError (subclasses included) and
    its message, without the exception object having to cross the wire.
    """
    target = getattr(module, function, None)
    if not callable(target):
        return {"missing": True, "raised": False, "types": [], "message": ""}
    try:
        target(*args, **(kwargs or {}))
    except Exception as err:  # the student's own error is the answer, not a failure
        return {
            "missing": False,
            "raised": True,
            "types": [c.__name__ for c in type(err).__mro__],
            "message": str(err)[:500],
        }
    return {"missing": False, "raised": False, "types": [], "message": ""}


# -- models trained on Fashion-MNIST (assignments 10-12) ------------------------------------
# One child runs the whole pipeline: model_build -> model_predict (untrained) -> model_train
# -> model_predict and model_forward (evaluation images; the forward pass is what is scored)
# -> model_checkpoint / model_logs -> model_reload_predict
# -> model_scrambled_predict (last: it spoils the trained weights). The model lives in
# _PIPELINE between the calls. Training data comes from the read-only inputs folder; the
# evaluation images arrive only after training, as uint8, and their labels never enter the
# sandbox.

PATHS: dict[str, str] = {}  # the child's view of its folders, set by the runner ("inputs", "work", ...)
_PIPELINE: dict[str, Any] = {}


def framework_of(model: object) -> str:
    """'torch' or 'keras' from the class hierarchy's modules, importing neither."""
    roots = {(getattr(klass, "__module__", "") or "").split(".")[0] for klass in type(model).__mro__}
    if "torch" in roots:
        return "torch"
    if roots & {"keras", "tensorflow", "tf_keras"}:
        return "keras"
    return "unknown"


def seed_everything(seed: int, framework: str) -> None:
    import random
    import sys

    import numpy as np

    random.seed(seed)
    np.random.seed(seed % (1 << 32))
    if "torch" in sys.modules:
        sys.modules["torch"].manual_seed(seed)
    if framework == "keras":
        import keras

        keras.utils.set_random_seed(seed)


def _training_data() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """x_train, y_train, x_val, y_val as the judge wrote them (inputs.stage_for_child), mapped copy-on-write.

    Each is a plain, writable ndarray: what train() changes stays in this process, and pages it
    only reads are shared with the file, not copied.
    """
    import os

    import numpy as np

    folder = PATHS.get("inputs")
    if not folder:
        raise RuntimeError("the grader did not provide the training data (no inputs folder)")
    x_train, y_train, x_val, y_val = (
        np.load(os.path.join(folder, f"{name}.npy"), mmap_mode="c").view(np.ndarray)
        for name in ("x_train", "y_train", "x_val", "y_val")
    )
    return x_train, y_train, x_val, y_val


def as_images(images: Any) -> np.ndarray:
    """uint8 images as the model sees them: float32 in [0, 1]. The judge scales the training data with it too."""
    import numpy as np

    scaled: np.ndarray = np.divide(images, np.float32(255.0), dtype=np.float32)  # a new array, never the caller's
    return scaled


def _model() -> Any:
    if "model" not in _PIPELINE:
        raise RuntimeError("there is no model: build_model() did not finish in this process")
    return _PIPELINE["model"]


@driver
def model_build(
    module: Any, seed: int, threads: int = 1, device: str = "cpu", kwargs: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Call build_model() under the grader's seed; describe what came back."""
    import sys

    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(max(1, int(threads)))
    _PIPELINE.clear()
    seed_everything(seed, "keras" if "keras" in sys.modules else "none")
    model = module.build_model(**(kwargs or {}))
    framework = framework_of(model)
    if framework == "unknown":
        raise TypeError(f"build_model() returned {type(model).__name__}, not a keras.Model or a torch.nn.Module")
    info: dict[str, Any] = {"framework": framework, "device": "cpu"}
    _PIPELINE["build_kwargs"] = dict(kwargs or {})
    if framework == "torch":
        if device == "cuda" and sys.modules["torch"].cuda.is_available():
            model = model.to("cuda")  # the student's train() follows next(model.parameters()).device
        parameters = list(model.parameters())
        info["parameters"] = int(sum(p.numel() for p in parameters if p.requires_grad))
        info["device"] = str(parameters[0].device) if parameters else "cpu"
        info["layers"] = [type(m).__name__ for m in model.modules()]
    else:
        import numpy as np

        _build_keras(model)
        info["parameters"] = int(sum(int(np.prod(w.shape)) for w in model.trainable_weights))
        info["layers"] = [type(layer).__name__ for layer in _keras_layers(model)]
        info["device"] = device
    _PIPELINE["model"] = model
    _PIPELINE["framework"] = framework
    return info


def _build_keras(model: Any) -> None:
    """A Sequential without keras.Input has no weights yet: build it with one forward pass."""
    import numpy as np

    if not model.built:
        model(np.zeros((1, 28, 28), dtype=np.float32))


def _keras_layers(model: Any, depth: int = 0) -> Iterator[Any]:
    for layer in getattr(model, "layers", []):
        yield layer
        if depth < 5:
            yield from _keras_layers(layer, depth + 1)


def _predict(module: Any, model: Any, images: Any) -> Any:
    """predict() in evaluation mode, the model's own mode restored afterwards.

    A torch model left in training mode gives a different answer each call (dropout), so
    answers could not be compared; train() then finds the mode it expects.
    """
    was_training = getattr(model, "training", None) if framework_of(model) == "torch" else None
    if was_training:
        model.eval()
    try:
        return module.predict(model, as_images(images))
    finally:
        if was_training:
            model.train(True)


@driver
def model_predict(module: Any, images: Any) -> Any:
    """predict() on images sent as uint8 (the untrained sample and the evaluation set look alike)."""
    return _predict(module, _model(), images)


def _forward_batches(model: Any, x: np.ndarray, layout: str) -> np.ndarray:
    """argmax of the framework's own forward pass, in batches, in evaluation mode; (N,) int64."""
    import numpy as np

    if layout == "channel":
        x = x[:, None] if framework_of(model) == "torch" else x[..., None]
    elif layout == "flat":
        x = x.reshape(len(x), -1)
    labels: list[np.ndarray] = []
    if framework_of(model) == "torch":
        import torch

        parameters = list(model.parameters())
        device = parameters[0].device if parameters else "cpu"
        was_training = model.training
        model.eval()
        try:
            with torch.no_grad():
                for start in range(0, len(x), 1000):
                    out = model(torch.as_tensor(x[start : start + 1000], dtype=torch.float32, device=device))
                    if not isinstance(out, torch.Tensor) or out.ndim != 2:
                        raise TypeError(
                            f"model(x) returned {type(out).__name__}, not one row of class scores per image"
                        )
                    labels.append(out.argmax(dim=1).cpu().numpy())
        finally:
            model.train(was_training)
    else:
        for start in range(0, len(x), 1000):
            out = np.asarray(model(x[start : start + 1000], training=False))
            if out.ndim != 2:
                raise TypeError(
                    f"model(x) returned an array of shape {out.shape}, not one row of class scores per image"
                )
            labels.append(out.argmax(axis=1))
    return np.concatenate(labels).astype(np.int64) if labels else np.zeros(0, dtype=np.int64)


def _forward(model: Any, images: Any) -> np.ndarray:
    """The model's own answers for uint8 images: model(x) on (N, 28, 28), else with a channel axis, else flat (N, 784)."""
    x = as_images(images)
    layouts = [_PIPELINE["layout"]] if "layout" in _PIPELINE else ["plain", "channel", "flat"]
    error = None
    for layout in layouts:
        try:
            labels = _forward_batches(model, x, layout)
        except Exception as err:  # the next layout, or the student is told why
            error = err
            continue
        _PIPELINE["layout"] = layout
        return labels
    raise RuntimeError(
        f"the grader could not run the model on (N, 28, 28) images itself: {type(error).__name__}: {error}"[:300]
    )


def _class_outputs(model: Any) -> list[tuple[Any, int]] | None:
    """The tensors that make the 10 class outputs, each with its class axis: the last 10-way
    Linear/Dense (or 10-filter convolution) and every later per-class tensor of length 10
    (e.g. a BatchNorm on the logits); None when the model has no such layer."""
    if framework_of(model) == "torch":
        import torch

        modules = list(model.modules())

        def ten_way(m: object) -> bool:
            return (isinstance(m, torch.nn.Linear) and m.out_features == 10) or (
                isinstance(m, torch.nn.modules.conv._ConvNd) and m.out_channels == 10 and not m.transposed
            )

        last = max((i for i, m in enumerate(modules) if ten_way(m)), default=None)
        if last is None:
            return None
        tensors = [(t, 0) for t in (modules[last].weight, modules[last].bias) if t is not None]
        for module in modules[last + 1 :]:
            tensors += [
                (t, 0)
                for t in list(module.parameters(recurse=False)) + list(module.buffers(recurse=False))
                if t.ndim == 1 and t.shape[0] == 10
            ]
        return tensors
    layers = list(_keras_layers(model))
    last = max(
        (
            i
            for i, layer in enumerate(layers)
            if (type(layer).__name__ == "Dense" and getattr(layer, "units", None) == 10)
            or (type(layer).__name__ in ("Conv1D", "Conv2D") and getattr(layer, "filters", None) == 10)
        ),
        default=None,
    )
    if last is None:
        return None
    variables = [(v, len(v.shape) - 1) for v in layers[last].weights]
    for layer in layers[last + 1 :]:
        variables += [(v, 0) for v in layer.weights if len(v.shape) == 1 and v.shape[0] == 10]
    return variables


def _relabel(model: Any, perm: Any) -> Callable[[], None] | None:
    """Move class c's output to perm[c] in place; returns a function that puts everything back."""
    import numpy as np

    found = _class_outputs(model)
    if not found:
        return None
    order = np.argsort(np.asarray(perm))  # new output perm[c] computes what output c computed
    saved: list[Any] = []
    if framework_of(model) == "torch":
        import torch

        with torch.no_grad():
            for tensor, axis in found:
                saved.append(tensor.detach().clone())
                tensor.copy_(tensor.index_select(axis, torch.as_tensor(order, device=tensor.device)))

        def restore() -> None:
            with torch.no_grad():
                for (tensor, _), old in zip(found, saved):
                    tensor.copy_(old)
    else:
        for variable, axis in found:
            value = np.asarray(variable.numpy())
            saved.append(value)
            variable.assign(np.take(value, order, axis=axis))

        def restore() -> None:
            for (variable, _), old in zip(found, saved):
                variable.assign(old)

    return restore


@driver
def model_forward(module: Any, images: Any, perm: Any = None, rows: Any = None) -> dict[str, Any]:
    """The trained model's own answers (framework forward pass, not predict()), and with `perm`
    the answers for images[rows] (all by default) once its class outputs are relabelled
    (class c's output moved to perm[c])."""
    import numpy as np

    model = _model()
    reply: dict[str, Any] = {"predictions": _forward(model, images), "relabelled": None, "relabel_error": None}
    if perm is not None:
        try:
            restore = _relabel(model, perm)
        except Exception as err:  # an unusual last layer: reported, the probe does not run
            reply["relabel_error"] = f"{type(err).__name__}: {err}"[:300]
            return reply
        if restore is None:
            reply["relabel_error"] = "no Linear/Dense or convolution layer with 10 outputs"
            return reply
        try:
            reply["relabelled"] = _forward(
                model, images if rows is None else np.asarray(images)[np.asarray(rows, dtype=np.int64)]
            )
        finally:
            restore()
    return reply


@driver
def model_reload_predict(module: Any, images: Any, seed: int) -> dict[str, Any]:
    """predict() with a fresh build_model() (built as model_build built it) holding the trained weights, or why they do not load."""
    trained = _model()
    seed_everything(seed, _PIPELINE.get("framework", ""))
    try:
        fresh = module.build_model(**_PIPELINE["build_kwargs"])
        if framework_of(fresh) != framework_of(trained):
            raise TypeError(
                f"build_model() returned {type(fresh).__name__} this time, train() returned {type(trained).__name__}"
            )
        if framework_of(trained) == "torch":
            fresh.load_state_dict(trained.state_dict())
            parameters = list(trained.parameters())
            if parameters:
                fresh = fresh.to(parameters[0].device)
        else:
            _build_keras(fresh)
            fresh.set_weights(trained.get_weights())
    except Exception as err:  # reported to the student: loading weights is theirs to make possible
        return {"error": f"{type(err).__name__}: {err}"[:300]}
    return {"predictions": _predict(module, fresh, images)}


@driver
def model_scrambled_predict(module: Any, images: Any, seed: int) -> Any:
    """predict() after shuffling the values inside every floating-point weight of the trained model."""
    import numpy as np

    model = _model()
    rng = np.random.default_rng(seed)
    if framework_of(model) == "torch":
        import torch

        with torch.no_grad():
            for tensor in model.state_dict().values():
                if tensor.is_floating_point() and tensor.numel() > 1:
                    order = torch.as_tensor(rng.permutation(tensor.numel()), device=tensor.device)
                    tensor.copy_(tensor.flatten()[order].view_as(tensor))
    else:
        model.set_weights(
            [
                rng.permutation(w.ravel()).reshape(w.shape) if np.issubdtype(w.dtype, np.floating) else w
                for w in model.get_weights()
            ]
        )
    return _predict(module, model, images)


@driver
def model_train(module: Any, seed: int) -> dict[str, Any]:
    """train() on the training data the judge wrote for this child; seconds taken."""
    import os
    import time

    x_train, y_train, x_val, y_val = _training_data()
    workdir = os.path.join(PATHS.get("work", "."), "training")
    os.makedirs(workdir, exist_ok=True)
    seed_everything(seed, _PIPELINE.get("framework", ""))
    started = time.perf_counter()
    trained = module.train(_model(), x_train, y_train, x_val, y_val, workdir)
    seconds = time.perf_counter() - started
    if trained is None:
        raise TypeError("train() returned None; it must return the trained model")
    if framework_of(trained) == "unknown":
        raise TypeError(f"train() returned {type(trained).__name__}, not the trained model")
    _PIPELINE["model"] = trained
    _PIPELINE["workdir"] = workdir
    return {
        "seconds": round(seconds, 3),
        "train_size": int(len(y_train)),
        "val_size": int(len(y_val)),
        "history": _history(trained),
    }


def _history(model: Any, series: int = 8, epochs: int = 500) -> dict[str, Any]:
    """The learning curve the training left on the model, for the feedback page.

    Keras keeps its History callback as `model.history` (its `.history` holds the
    per-epoch metrics); a PyTorch student may set `model.history = {"loss": [...], ...}`.
    Only plain numbers travel; the grader validates them again.
    """
    found: Any = getattr(model, "history", None)
    source = "keras History" if isinstance(getattr(found, "history", None), dict) else "model.history"
    found = found.history if source == "keras History" else found
    if not isinstance(found, dict):
        return {}
    curves: dict[str, list[float]] = {}
    for name, values in list(found.items())[:series]:
        try:
            curves[str(name)[:40]] = [float(v) for v in list(values)[:epochs]]
        except (TypeError, ValueError):
            continue
    return {"source": source, "series": curves} if curves else {}


@driver
def model_checkpoint(module: Any, images: Any, name: str = "best.keras") -> dict[str, Any]:
    """Reload workdir/NAME with keras and predict the test images with it."""
    import os

    path = os.path.join(_PIPELINE.get("workdir", ""), name)
    if not os.path.isfile(path):
        return {"found": False}
    import keras

    try:
        model = keras.models.load_model(path)
    except Exception as err:  # reported to the student, not raised: the file is theirs
        return {"found": True, "error": f"{type(err).__name__}: {err}"[:500]}
    return {"found": True, "predictions": module.predict(model, as_images(images))}


@driver
def model_logs(module: Any, folder: str = "logs") -> dict[str, Any]:
    """Scalar tags found in the TensorBoard event files under workdir/FOLDER."""
    import os

    root = os.path.join(_PIPELINE.get("workdir", ""), folder)
    files = [os.path.join(base, name) for base, _, names in os.walk(root) for name in names if "tfevents" in name]
    tags: set[str] = set()
    if files:
        from tensorflow.python.summary.summary_iterator import summary_iterator

        for path in files[:50]:
            try:
                for event in summary_iterator(path):
                    tags.update(value.tag for value in event.summary.value)
            except Exception:  # a truncated file still counts for the tags read before it
                continue
    return {"files": len(files), "tags": sorted(tags)[:200]}


# -- the assignment's own drivers ------------------------------------------------------------
ASSIGNMENT_DRIVERS = "assignment_drivers"  # solutions/NN_NAME/drivers.py, as the launcher names it beside this file

try:  # last, so that it finds `driver` and the shared helpers above
    importlib.import_module(ASSIGNMENT_DRIVERS)
except ModuleNotFoundError as err:  # an assignment without drivers of its own, or the grader's own process
    if err.name != ASSIGNMENT_DRIVERS:
        raise
