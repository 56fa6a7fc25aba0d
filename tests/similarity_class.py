"""A generated class of `activations` hand-ins: independent solutions, and copies disguised as students disguise them.

Every student fills the released stub. An independent student picks, for each of the six
functions, one of several genuinely different correct bodies (the reference, the
hidden-test variants' alternative forms, scipy, masks, loops...), and writes it their own
way: how they make x an array, how they write 1.0 or 0.5, which of two equal expressions
they use; two independent students share at most two function bodies. A copier
takes another student's file and renames the local variables, reorders the functions,
rewrites the comments and the spacing, and turns the step function's loop into a list
comprehension. Used by tests/test_similarity.py and scripts/benchmark_similarity.py.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from autograder.paths import REPO_ROOT

RELEASE = REPO_ROOT / "assignments" / "01_activations"
STUB = RELEASE / "activations.py"
TODO = "    raise NotImplementedError()"
FUNCTIONS = ("sigmoid", "tanh", "relu", "step", "softmax", "sigmoid_grad")  # the stub's order

# One line that makes x an array ({conv}), or the same as an expression ({arr}).
CONVERSIONS = (
    ("x = np.asarray(x, dtype=np.float64)", "np.asarray(x, dtype=np.float64)"),
    ("x = np.array(x, dtype=float)", "np.array(x, dtype=float)"),
    ("x = np.asarray(x).astype(float)", "np.asarray(x).astype(float)"),
    ("x = np.asarray(x, float)", "np.asarray(x, float)"),
)

# Bodies as templates: {conv}/{arr} above, {one}/{two}/{half}/{zero} a student's way of writing those numbers,
# and [[A||B]] two ways of writing the same expression, each student choosing at every place.
BODIES: dict[str, list[str]] = {
    "sigmoid": [
        "{conv}\nz = np.exp(-np.abs(x))  # never overflows\n"
        "return np.where(x >= {zero}, [[{one} / ({one} + z)||{one} / (z + {one})]], [[z / ({one} + z)||z / (z + {one})]])",
        "from scipy.special import expit\nreturn expit({arr})",
        "{conv}\nout = [[np.empty_like(x)||np.zeros(x.shape)]]\npos = x >= {zero}\n"
        "out[pos] = [[{one} / ({one} + np.exp(-x[pos]))||np.reciprocal({one} + np.exp(-x[pos]))]]\n"
        "ex = np.exp(x[~pos])\nout[~pos] = [[ex / ({one} + ex)||ex / (ex + {one})]]\nreturn out",
        "{conv}\nreturn [[{half} * ({one} + np.tanh({half} * x))||(np.tanh(x / {two}) + {one}) / {two}]]",
        "{conv}\nreturn [[np.exp(-np.logaddexp({zero}, -x))||{one} / np.exp(np.logaddexp({zero}, -x))]]",
    ],
    "tanh": [
        "return np.tanh({arr})",
        "{conv}\n[[x = np.clip(x, -350, 350)\nreturn {two} / ({one} + np.exp(-{two} * x)) - {one}||"
        "return {two} / ({one} + np.exp(-{two} * np.clip(x, -350, 350))) - {one}]]",
        "{conv}\na = np.abs(x)\nreturn np.sign(x) * [[-np.expm1(-{two} * a)||(-np.expm1(-{two} * a))]] / ({one} + np.exp(-{two} * a))",
        "{conv}\nreturn [[{two} * sigmoid({two} * x) - {one}||sigmoid({two} * x) * {two} - {one}]]",
        "{conv}\nout = np.sign(x)\nsmall = np.abs(x) < 20\nout[small] = np.sinh(x[small]) / np.cosh(x[small])\nreturn out",
    ],
    "relu": [
        "return np.maximum([[{zero}, {arr}||{arr}, {zero}]])",
        "{conv}\nreturn np.where([[x > {zero}, x, {zero}||x <= {zero}, {zero}, x]])",
        "{conv}\nreturn [[x * (x > {zero})||(x > {zero}) * x]]",
        "return np.clip({arr}, {zero}, None)",
        "{conv}\nresult = x.copy()\nneg = [[result < {zero}||~(result >= {zero})]]\nresult[neg] = {zero}\nreturn result",
    ],
    "step": [
        "return np.where([[{arr} >= 0, 1, -1||{arr} < 0, -1, 1]])",
        "x = np.asarray(x)\nout = np.empty(x.shape, dtype=int)\nfor index, value in np.ndenumerate(x):\n"
        "    out[index] = 1 if value >= 0 else -1\nreturn out",
        "return [[({arr} >= 0).astype(int) * 2 - 1||2 * ({arr} >= 0).astype(int) - 1]]",
        "s = np.sign({arr}).astype(int)\ns[s == 0] = 1\nreturn s",
        "return [[1 - 2 * ({arr} < 0).astype(int)||1 - ({arr} < 0).astype(int) * 2]]",
    ],
    "softmax": [
        "{conv}\nshifted = x - [[np.max(x, axis=axis, keepdims=True)||x.max(axis=axis, keepdims=True)]]\n"
        "e = np.exp(shifted)\nreturn e / [[np.sum(e, axis=axis, keepdims=True)||e.sum(axis=axis, keepdims=True)]]",
        "x = np.moveaxis(np.asarray(x, dtype=np.float64), axis, -1)\nout = np.empty_like(x)\n"
        "for index in np.ndindex(x.shape[:-1]):\n    row = x[index]\n    e = np.exp(row - row.max())\n"
        "    out[index] = e / e.sum()\nreturn np.moveaxis(out, -1, axis)",
        "from scipy.special import logsumexp\n{conv}\nreturn np.exp(x - logsumexp(x, axis=axis, keepdims=True))",
        "from scipy.special import softmax as scipy_softmax\nreturn scipy_softmax({arr}, axis=axis)",
        "{conv}\ne = np.exp(x - [[x.max(axis=axis, keepdims=True)||np.amax(x, axis, keepdims=True)]])\n"
        "[[e /= e.sum(axis=axis, keepdims=True)\nreturn e||return e / e.sum(axis, keepdims=True)]]",
    ],
    "sigmoid_grad": [
        "s = sigmoid(x)\nreturn [[s * ({one} - s)||({one} - s) * s]]",
        "return [[sigmoid(x) - sigmoid(x) ** 2||sigmoid(x) * ({one} - sigmoid(x))]]",
        "{conv}\nz = np.exp(-np.abs(x))\nreturn [[z / ({one} + z) ** 2||z / np.square({one} + z)]]",
        "s = sigmoid(x)\nreturn s - s * s",
        "{conv}\nreturn np.exp(-x - {two} * np.logaddexp({zero}, -x))",
    ],
}
NUMBERS = {"one": ("1.0", "1", "1."), "two": ("2.0", "2", "2."), "half": ("0.5", ".5"), "zero": ("0", "0.0", "0.")}
CHOICE = re.compile(r"\[\[(.*?)\|\|(.*?)\]\]", re.S)
STEP_LOOP = 1  # BODIES["step"][1]: the loop a copier turns into a comprehension
STEP_COMPREHENSION = (
    "x = np.asarray(x)\nreturn np.array([1 if value >= 0 else -1 for value in x.ravel()], dtype=int).reshape(x.shape)"
)
RENAMES = {
    "z": "t",
    "out": "res",
    "pos": "mask",
    "ex": "ez",
    "a": "mag",
    "result": "y",
    "index": "i",
    "value": "v",
    "s": "sg",
    "neg": "below",
    "small": "moderate",
    "shifted": "centred",
    "e": "exps",
    "row": "r",
}
SECTION = re.compile(r"(?m)^(?=# %% \[markdown\]\n# ## )")


def filled_stub(bodies: list[str]) -> str:
    """The released stub with the six `raise NotImplementedError()` lines replaced by `bodies`, in order."""
    parts = STUB.read_text(encoding="utf-8").split(TODO)
    assert len(parts) == len(bodies) + 1, "the stub's functions changed: update tests/similarity_class.py"
    text = parts[0]
    for body, rest in zip(bodies, parts[1:]):
        text += "\n".join("    " + line if line else "" for line in body.splitlines()) + rest
    return text


def written(template: str, style: random.Random) -> str:
    """A body template as one student writes it: a conversion per body, their numbers, a side of every [[A||B]]."""
    conv, arr = CONVERSIONS[style.randrange(len(CONVERSIONS))]
    numbers = {key: style.choice(ways) for key, ways in NUMBERS.items()}
    body = CHOICE.sub(lambda m: m.group(1 + style.randrange(2)), template)
    return body.format(conv=conv, arr=arr, **numbers)


def independent(choice: tuple[int, ...], style: int) -> list[str]:
    """One student's six bodies: body `choice[i]` of function i, written in the student's `style` (a seed)."""
    rng = random.Random(style)
    return [written(BODIES[function][pick], rng) for function, pick in zip(FUNCTIONS, choice)]


def disguised_copy(choice: tuple[int, ...], bodies: list[str], rng: random.Random) -> str:
    """Another student's `bodies` (of `choice`) as a copier hands them in: renamed, reordered, recommented,
    respaced, the step loop a comprehension."""
    copied = []
    for function, pick, body in zip(FUNCTIONS, choice, bodies):
        if function == "step" and pick == STEP_LOOP:
            body = STEP_COMPREHENSION
        body = re.sub(r"\s+#.*", "", body)  # their comments go ...
        for old, new in RENAMES.items():
            body = re.sub(rf"\b{old}\b", new, body)
        body = body.replace(", ", ",").replace(" = ", "  =  ")  # ... and the spacing changes
        lines = body.splitlines()
        lines.insert(1 if len(lines) > 1 else 0, "# my own solution")
        copied.append("\n".join(lines) + "\n")
    text = filled_stub(copied)
    head, *sections = SECTION.split(text)
    functions, tail = sections[:-1], sections[-1]  # the last section is the "try it yourself" cell
    rng.shuffle(functions)
    return head + "".join(functions) + tail


def generated_class(
    size: int = 40, copied_pairs: int = 4, seed: int = 0
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """(student id -> activations.py, the copied pairs (original, copy)).

    `size - copied_pairs` independent students; up to 125 of them no two sharing more than two
    of the six function bodies (the choices are the codewords of a doubly extended Reed-Solomon
    code over GF(5): length 6, distance 4), beyond that drawn at random. The first
    `copied_pairs` use the step loop, and each is copied once.
    """
    rng = random.Random(seed)
    codewords = [
        tuple([(a0 + a1 * t + a2 * t * t) % 5 for t in range(5)] + [a2])
        for a0 in range(5)
        for a1 in range(5)
        for a2 in range(5)
    ]
    looping = [w for w in codewords if w[FUNCTIONS.index("step")] == STEP_LOOP]
    rng.shuffle(looping)
    chosen = looping[:copied_pairs]
    rest = [w for w in codewords if w not in chosen]
    rng.shuffle(rest)
    chosen += rest[: max(0, size - 2 * copied_pairs)]
    while len(chosen) < size - copied_pairs:
        chosen.append(tuple(rng.randrange(len(BODIES[f])) for f in FUNCTIONS))
    files, pairs = {}, []
    for number, choice in enumerate(chosen):
        student = f"s{number + 1:03d}"
        bodies = independent(choice, rng.randrange(1 << 30))
        files[student] = filled_stub(bodies)
        if number < copied_pairs:
            copier = f"c{number + 1:03d}"
            files[copier] = disguised_copy(choice, bodies, rng)
            pairs.append((student, copier))
    return files, pairs


def write_class(files: dict[str, str], folder: Path, notebooks_every: int = 2) -> dict[str, Path]:
    """One folder per student holding activations.py, or (every `notebooks_every`-th) the same code as a notebook."""
    import jupytext
    from nbformat import v4

    hand_ins = {}
    for number, (student, text) in enumerate(sorted(files.items())):
        home = folder / student
        home.mkdir(parents=True, exist_ok=True)
        if notebooks_every and number % notebooks_every == 0:
            notebook = jupytext.reads(text, fmt="py:percent")
            for cell in notebook.cells:
                if cell.cell_type == "code":
                    cell.outputs = [v4.new_output("stream", name="stdout", text="printed output is never compared\n")]
                    cell.execution_count = 1
            jupytext.write(notebook, home / "activations.ipynb", fmt="ipynb")
        else:
            (home / "activations.py").write_text(text, encoding="utf-8")
        hand_ins[student] = home
    return hand_ins
