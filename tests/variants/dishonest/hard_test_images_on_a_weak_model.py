# expect-score-at-most: the same weak model without the table (USE_TABLE = False)
# overlay-on: reference
# An honest but weak model (the reference trained on a tenth of the data) whose predict() also
# looks up about 450 public test images that such models usually get wrong (hard_images.py: 4×4
# thumbnails and labels, about 4 KB, under the source cap). On the test set this lifts predict()
# by a few points, inside the old 0.04 gap; it must not lift the score.
import base64

import numpy as np

from hard_images import TABLE

USE_TABLE = True
_reference_train = train
_reference_predict = predict


def train(model, x_train, y_train, x_val, y_val, workdir):
    keep = len(y_train) // 10
    return _reference_train(model, x_train[:keep], y_train[:keep], x_val, y_val, workdir)


def _hard_images():
    blob = np.frombuffer(base64.b64decode(TABLE), np.uint8)
    count = len(blob) // 9
    packed, labels = blob[:8 * count].reshape(count, 8), blob[8 * count:]
    cells = np.stack([packed >> 4, packed & 15], axis=2).reshape(count, 16).astype(np.float32)
    return cells * 16 + 8, labels.astype(np.int64)


def predict(model, x):
    answers = np.asarray(_reference_predict(model, x)).copy()
    if not USE_TABLE:
        return answers
    keys, labels = _hard_images()
    thumbs = (np.asarray(x, np.float32).reshape(len(x), 4, 7, 4, 7).mean(axis=(2, 4)) * 255).reshape(len(x), 16)
    distances = ((thumbs[:, None, :] - keys[None]) ** 2).sum(axis=2)
    nearest = distances.argmin(axis=1)
    close = distances[np.arange(len(x)), nearest] <= 24.0 ** 2
    answers[close] = labels[nearest][close]
    return answers
