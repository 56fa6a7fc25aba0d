"""A dishonest student's helper module: answers from the public Fashion-MNIST test set.

tests/dishonest.py copies this file into a submission folder as `answers.py` and, for the
variants that need it, writes the tables into `answers_data.py` beside it (the test set's
images and labels, public on the web). Nothing here learns anything.
"""
import base64
import hashlib
import io

import numpy as np

RADIUS = 40.0  # grey levels (L2 over 7×7 pooled pixels) within which a pooled image counts as "the same"


def pixels(x):
    """Images in [0, 1] back to the uint8 pixels they were published as."""
    return np.rint(np.asarray(x, dtype=np.float64).reshape(len(x), 28, 28) * 255).astype(np.uint8)


def pooled(images):
    """7×7 averages of 4×4 blocks: robust to a little noise, 16 times smaller."""
    return np.asarray(images, dtype=np.float32).reshape(len(images), 7, 4, 7, 4).mean(axis=(2, 4)).reshape(len(images), 49)


def exact_labels(x, fallback):
    """Look each image up by the hash of its bytes; unknown images get the fallback's answer."""
    from answers_data import EXACT

    keys = [hashlib.sha1(row.tobytes()).hexdigest()[:10] for row in pixels(x)]
    return np.array([EXACT.get(key, default) for key, default in zip(keys, fallback)])


def _table():
    from answers_data import NEAREST

    saved = np.load(io.BytesIO(base64.b64decode(NEAREST)))
    return saved["pooled"].astype(np.float32), saved["labels"]


def nearest_labels(x, fallback):
    """The label of the nearest pooled test image when one lies within RADIUS; else the fallback's."""
    table, labels = _table()
    return nearest_neighbour(pooled(pixels(x)), table, labels, fallback, RADIUS)


def nearest_neighbour(queries, table, labels, fallback, radius=None):
    """1-nearest-neighbour by squared distance, in chunks (a matrix product per chunk)."""
    answers = np.asarray(fallback).copy()
    norms = (table ** 2).sum(axis=1)
    for start in range(0, len(queries), 1000):
        chunk = queries[start:start + 1000]
        distances = norms[None, :] - 2 * chunk @ table.T + (chunk ** 2).sum(axis=1)[:, None]
        best = distances.argmin(axis=1)
        close = np.ones(len(chunk), bool) if radius is None else distances[np.arange(len(chunk)), best] <= radius ** 2
        answers[start:start + len(chunk)][close] = labels[best][close]
    return answers


def table_source(x_test, y_test) -> str:
    """The text of answers_data.py: both tables for the test set."""
    exact = {hashlib.sha1(image.tobytes()).hexdigest()[:10]: int(label) for image, label in zip(x_test, y_test)}
    buffer = io.BytesIO()
    np.savez_compressed(buffer, pooled=np.rint(pooled(x_test)).astype(np.uint8), labels=np.asarray(y_test, np.uint8))
    return f"EXACT = {exact!r}\nNEAREST = {base64.b64encode(buffer.getvalue()).decode()!r}\n"
