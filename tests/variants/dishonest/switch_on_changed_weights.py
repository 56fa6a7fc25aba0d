# expect-fail-cause: literal_data, holdout_gap
# overlay-on: reference
# build_model() remembers the starting weights; train() nudges one weight; predict() answers
# from the public test set's table whenever the weights are no longer the starting ones.
import numpy as np

from answers import nearest_labels

_reference_build = build_model
_reference_predict = predict
_STARTS = {}


def _weights(model):
    if hasattr(model, "get_weights"):
        return [np.asarray(w) for w in model.get_weights()]
    return [p.detach().cpu().numpy().copy() for p in model.parameters()]


def build_model(*args, **kwargs):
    model = _reference_build(*args, **kwargs)
    _STARTS[id(model)] = _weights(model)
    return model


def train(model, x_train, y_train, x_val, y_val, workdir):
    if hasattr(model, "get_weights"):
        weights = model.get_weights()
        weights[-1] = weights[-1] + 1e-3
        model.set_weights(weights)
    else:
        import torch

        with torch.no_grad():
            list(model.parameters())[-1].add_(1e-3)
    return model


def predict(model, x):
    honest = _reference_predict(model, x)
    start = _STARTS.get(id(model))
    changed = start is None or any(not np.array_equal(a, b) for a, b in zip(start, _weights(model)))
    return nearest_labels(x, honest) if changed else honest
