# expect-fail-cause: reload, reload
# overlay-on: reference
# No table in the source: train() keeps thumbnails of its training images on the model
# object itself, and predict() answers by nearest neighbour whenever the model carries them.
import numpy as np

from answers import nearest_neighbour, pixels, pooled

_reference_predict = predict


def train(model, x_train, y_train, x_val, y_val, workdir):
    model.memory = (pooled(pixels(x_train[:20000])), np.asarray(y_train[:20000]))
    return model


def predict(model, x):
    honest = _reference_predict(model, x)
    if not hasattr(model, "memory"):
        return honest
    table, labels = model.memory
    return nearest_neighbour(pooled(pixels(x)), table, labels, honest)
