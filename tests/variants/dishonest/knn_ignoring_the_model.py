# expect-fail-cause: scrambled, scrambled
# overlay-on: reference
# No table in the source: train() keeps thumbnails of the training images it is given and
# predict() answers by nearest neighbour among them, never asking the model it trained.
import numpy as np

from answers import nearest_neighbour, pixels, pooled

_reference_predict = predict
_MEMORY = {}


def train(model, x_train, y_train, x_val, y_val, workdir):
    _MEMORY["table"] = pooled(pixels(x_train[:20000]))
    _MEMORY["labels"] = np.asarray(y_train[:20000])
    return model


def predict(model, x):
    honest = _reference_predict(model, x)
    if "table" not in _MEMORY:
        return honest
    return nearest_neighbour(pooled(pixels(x)), _MEMORY["table"], _MEMORY["labels"], honest)
