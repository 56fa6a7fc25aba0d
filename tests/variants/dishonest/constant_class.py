# expect-fail-cause: not_learned, not_learned
# overlay-on: reference
# train() learns nothing and predict() answers "bag" for every image.
import numpy as np


def train(model, x_train, y_train, x_val, y_val, workdir):
    return model


def predict(model, x):
    return np.full(len(x), 8)
