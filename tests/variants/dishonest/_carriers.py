"""A dishonest student's tables written where no string, number or comment holds them.

The project's tests copy this file into a submission folder as `carriers.py` and write the
public Fashion-MNIST test set's 7×7 thumbnails (4 bits a cell) with their labels into
`answers_names.py` (as the names of local variables of a function never called) or into
`answers_blank.py` (as lines of spaces and tabs). Nothing here learns anything.
"""
import numpy as np

CELLS = 49  # 7×7 thumbnail cells, 4 bits each, then 4 bits of label
RADIUS = 48.0  # grey levels (L2 over the cells): 4-bit cells are off by up to 8 each


def _rows(x_test, y_test):
    pooled = np.asarray(x_test, dtype=np.float32).reshape(len(x_test), 7, 4, 7, 4).mean(axis=(2, 4)).reshape(len(x_test), CELLS)
    cells = np.clip(np.rint(pooled) // 16, 0, 15).astype(int)
    return [("".join("%x" % v for v in row), int(label)) for row, label in zip(cells, y_test)]


def names_source(x_test, y_test) -> str:
    """answers_names.py: one local variable per test image, named after its thumbnail and label."""
    lines = [f"    _{key}{label} = None\n" for key, label in _rows(x_test, y_test)]
    return "def _atlas():\n    \"\"\"Never called.\"\"\"\n" + "".join(lines)


def blank_source(x_test, y_test) -> str:
    """answers_blank.py: one line of spaces (0) and tabs (1) per test image, nothing else."""
    lines = []
    for key, label in _rows(x_test, y_test):
        bits = "".join(format(int(digit, 16), "04b") for digit in key + "%x" % label)
        lines.append(bits.replace("0", " ").replace("1", "\t") + "\n")
    return "".join(lines)


def _table(hexes):
    digits = np.array([[int(c, 16) for c in h] for h in hexes], dtype=np.float32)
    return digits[:, :CELLS] * 16 + 8, digits[:, CELLS].astype(int)


def names_labels(x, fallback):
    """Answers from the variable names of answers_names._atlas, nearest thumbnail within RADIUS."""
    from answers import nearest_neighbour, pixels, pooled
    from answers_names import _atlas

    table, labels = _table([name[1:] for name in _atlas.__code__.co_varnames if len(name) == CELLS + 2])
    return nearest_neighbour(pooled(pixels(x)), table, labels, fallback, RADIUS)


def blank_labels(x, fallback):
    """Answers from the whitespace lines of answers_blank.py, nearest thumbnail within RADIUS."""
    import answers_blank
    from answers import nearest_neighbour, pixels, pooled

    with open(answers_blank.__file__, encoding="utf-8") as handle:
        lines = [line.rstrip("\n") for line in handle if line.strip(" \t\n") == "" and len(line) > 100]
    hexes = ["".join("%x" % int(line[i:i + 4].replace(" ", "0").replace("\t", "1"), 2) for i in range(0, len(line), 4))
             for line in lines]
    table, labels = _table(hexes)
    return nearest_neighbour(pooled(pixels(x)), table, labels, fallback, RADIUS)


def hard_source(x_train, y_train, x_test, y_test, entries: int = 450) -> str:
    """hard_images.py: `entries` public test images that a linear classifier fitted to the public
    training set gets wrong (the kind a weak model misses too), as 4×4 thumbnails of 4 bits a cell
    with their labels, base64: about 4 KB, well under the source cap."""
    import base64

    sample = np.random.default_rng(0).choice(len(y_train), 20000, replace=False)
    x = np.hstack([x_train[sample].reshape(len(sample), -1) / 255.0, np.ones((len(sample), 1))])
    weights = np.linalg.solve(x.T @ x + np.eye(x.shape[1]), x.T @ np.eye(10)[y_train[sample]])
    guess = (np.hstack([x_test.reshape(len(x_test), -1) / 255.0, np.ones((len(x_test), 1))]) @ weights).argmax(axis=1)
    hard = np.flatnonzero(guess != y_test)[:entries]
    cells = np.clip(coarse(x_test[hard]) // 16, 0, 15).astype(np.uint8)
    packed = (cells[:, 0::2] << 4 | cells[:, 1::2]).astype(np.uint8)
    blob = packed.tobytes() + np.asarray(y_test[hard], np.uint8).tobytes()
    return f"TABLE = {base64.b64encode(blob).decode()!r}\n"


def coarse(images):
    """4×4 averages of 7×7 blocks (uint8 scale) of (N, 28, 28) images."""
    return np.asarray(images, dtype=np.float32).reshape(len(images), 4, 7, 4, 7).mean(axis=(2, 4)).reshape(len(images), 16)
