"""Hidden tests of 06 conv_arithmetic (conv.py): sizes, errors, conv2d, pooling, parameters.

References come from PyTorch (the sizes and values its layers actually produce) and from
scipy.signal.correlate2d, never from the reference solution.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy.signal import convolve2d, correlate2d

from autograder.engine.checks import as_array, check_close, check_integral, check_raises, check_shape
from autograder.engine.feedback import fail, label

torch.set_num_threads(1)


def _size_case(rng, p: int, s: int, *, q: int | None = None, r: int | None = None) -> tuple[int, int, int, int]:
    """A valid (n, f, p, s) with n + 2p − f = q·s + r: q more steps after the first, r pixels left over (uneven if r > 0)."""
    f = int(rng.integers(1, 8))
    q = int(rng.integers(0, 12)) if q is None else q
    r = int(rng.integers(0, s)) if r is None else r
    n = f - 2 * p + q * s + r
    while n < 1:  # two more steps keep q's parity
        q, n = q + 2, n + 2 * s
    return n, f, p, s


def _bit_1_set(rng) -> int:
    """A random n whose bit 1 is set (2, 3, 6, 7, 10, ...): there n + 2 differs from n | 2 and from n ^ 2."""
    return 4 * int(rng.integers(0, 5)) + int(rng.integers(2, 4))


def _size_cases(rng, count: int, *, uneven_only: bool = False) -> list[tuple[int, int, int, int]]:
    """Valid (n, f, p, s) in random order; at least every other case has a stride that does not divide evenly.

    Fixed kinds of case come first, so that a bug on one of them fails on every seed: no
    padding and padding 1 and 3 (2 is where 2p, p + 2 and 2^p agree), strides 1 to 3, odd and
    even step counts, filters that just fit (f = n + 2p − 1, on an n with bit 1 set) and,
    unless uneven_only, filters that fit exactly (f = n + 2p).
    """
    odd, even = int(rng.integers(0, 6)) * 2 + 1, int(rng.integers(1, 6)) * 2
    near_1 = _bit_1_set(rng)
    near_3 = int(rng.choice([4 * int(rng.integers(1, 5)) + k for k in (0, 1, 3)]))  # (n + 2) % 4 ≠ 0
    cases = [(near_1, near_1 + 1, 1, 2), (near_3, near_3 + 5, 3, 2)]  # one pixel over: stride 2 does not divide
    if uneven_only:
        cases += [
            _size_case(rng, 0, 2, q=odd, r=1),
            _size_case(rng, 1, 3, q=even, r=2),
            _size_case(rng, 3, 2, q=even, r=1),
        ]
    else:
        exact_1, exact_3 = _bit_1_set(rng), int(rng.integers(1, 12))
        cases += [
            (exact_1, exact_1 + 2, 1, int(rng.integers(1, 4))),
            (exact_3, exact_3 + 6, 3, int(rng.integers(1, 4))),
            _size_case(rng, 0, 1),
            _size_case(rng, 3, 2, q=odd, r=1),
            _size_case(rng, 1, 3, q=even, r=0),
        ]
    while len(cases) < count:
        p, s = int(rng.integers(0, 4)), int(rng.integers(1, 5))
        if uneven_only or len(cases) % 2 == 0:
            s = max(s, 2)
            cases.append(_size_case(rng, p, s, r=int(rng.integers(1, s))))
        else:
            cases.append(_size_case(rng, p, s))
    return [cases[i] for i in rng.permutation(len(cases))]


def _student_size(student, n, f, p, s) -> float:
    what = f"conv_output_size(n={n}, f={f}, p={p}, s={s})"
    got = as_array(student.conv_output_size(n, f, p, s), what)
    check_shape(got, (), what)
    check_integral(got, what)
    return float(got)


def _torch_conv_size(n: int, f: int, p: int, s: int) -> int:
    return int(F.conv2d(torch.zeros(1, 1, n, n), torch.zeros(1, 1, f, f), stride=s, padding=p).shape[-1])


# -- conv_output_size ----------------------------------------------------------------------
def test_output_size_formula(student, rng):
    """Does conv_output_size follow floor((n + 2p - f) / s) + 1 on random sizes?

    ko: 무작위 크기에서 conv_output_size가 floor((n + 2p - f) / s) + 1을 따르나요?
    """
    for n, f, p, s in _size_cases(rng, 20):
        got = _student_size(student, n, f, p, s)
        check_close(got, (n + 2 * p - f) // s + 1, f"conv_output_size(n={n}, f={f}, p={p}, s={s})")


def test_output_size_matches_torch(student, rng):
    """Does conv_output_size give the size PyTorch's conv2d actually produces?

    ko: conv_output_size가 PyTorch의 conv2d가 실제로 만드는 크기와 같은가요?
    """
    for n, f, p, s in _size_cases(rng, 12):
        got = _student_size(student, n, f, p, s)
        check_close(got, _torch_conv_size(n, f, p, s), f"conv_output_size(n={n}, f={f}, p={p}, s={s})")


def test_output_size_rounds_down(student, rng):
    """When the stride does not divide n + 2p - f evenly, is the last partial step dropped?

    ko: n + 2p - f가 스트라이드로 나누어떨어지지 않을 때, 마지막에 다 들어가지 않는 한 칸을 버리나요?
    """
    for n, f, p, s in _size_cases(rng, 8, uneven_only=True):
        got = _student_size(student, n, f, p, s)
        if got != (n + 2 * p - f) // s + 1:
            fail(
                f"conv_output_size(n={n}, f={f}, p={p}, s={s}) is wrong when the stride does not divide n + 2p - f evenly: "
                "round the division down (floor, `//`) before adding 1.",
                f"conv_output_size(n={n}, f={f}, p={p}, s={s})의 값이 틀렸습니다. n + 2p - f가 스트라이드로 나누어떨어지지 않을 때는 "
                "나눗셈을 내림(floor, `//`)한 뒤 1을 더하세요.",
                cause="values",
            )


def test_output_size_notes_example(student):
    """Does the notes' example n=7, f=3, p=0, s=2 give (7 - 3) / 2 + 1 = 3?

    ko: 강의 노트의 예제 n=7, f=3, p=0, s=2가 (7 - 3) / 2 + 1 = 3을 내나요?
    """
    got = _student_size(student, 7, 3, 0, 2)
    check_close(got, 3, "conv_output_size(7, 3, 0, 2)", show=True)


def test_output_size_filter_too_big_raises(student, rng):
    """Is a ValueError with a message raised when the filter does not fit (f > n + 2p)?

    ko: 필터가 들어가지 않을 때(f > n + 2p) 메시지가 있는 ValueError를 발생시키나요?
    """
    for n, p, over in [
        (int(rng.integers(1, 20)), 0, 1),
        (int(rng.integers(1, 20)), 1, 1),
        (int(rng.integers(16, 30)), 3, 1),
        (int(rng.integers(1, 20)), int(rng.integers(0, 4)), int(rng.integers(2, 5))),
    ]:  # just too big, then more
        f = n + 2 * p + over
        check_raises(
            student, "conv_output_size", (n, f, p, 1), "ValueError", f"conv_output_size(n={n}, f={f}, p={p}, s=1)"
        )


def test_output_size_bad_stride_raises(student, rng):
    """Is a ValueError with a message raised for a stride of 0 or below?

    ko: 스트라이드가 0 이하일 때 메시지가 있는 ValueError를 발생시키나요?
    """
    n = int(rng.integers(5, 30))
    for s in (0, -1, -int(rng.integers(2, 5))):
        check_raises(
            student, "conv_output_size", (n, 3, 1, s), "ValueError", f"conv_output_size(n={n}, f=3, p=1, s={s})"
        )


# -- same_padding, pool_output_size --------------------------------------------------------
def test_same_padding(student, rng):
    """Does same_padding(f) keep the size of PyTorch's conv2d at stride 1 for odd f?

    ko: 홀수 f에서 same_padding(f)가 스트라이드 1인 PyTorch conv2d의 출력 크기를 입력과 같게 유지하나요?
    """
    for f in (1, 3, 5, 7, 9, 11):
        what = f"same_padding({f})"
        got = as_array(student.same_padding(f), what)
        check_shape(got, (), what)
        check_integral(got, what)
        n = int(rng.integers(f, 32))
        if int(got) < 0 or _torch_conv_size(n, f, int(got), 1) != n:
            fail(
                f"{what} = {int(got)} does not keep a size-{n} input at size {n} at stride 1.",
                f"{what} = {int(got)}은(는) 스트라이드 1에서 크기 {n}인 입력의 크기를 유지하지 못합니다.",
                cause="values",
            )


def _pool_input(rng, size: int, stride: int, case: int) -> int:
    """n = size + q·stride + r: the case number picks an odd or even q (case % 2) and whether windows leave
    r > 0 pixels over (case % 4 ≥ 2, for stride > 1), so each list holds all four on every seed."""
    q = int(rng.integers(0, 6)) * 2 + case % 2
    r = int(rng.integers(1, stride)) if case % 4 >= 2 and stride > 1 else 0
    return size + q * stride + r


def _torch_pool_size(n: int, size: int, stride: int | None) -> int:
    return int(F.max_pool2d(torch.zeros(1, 1, n, n), size, stride=stride).shape[-1])


def test_pool_output_size_default_stride(student, rng):
    """Without a stride, does pool_output_size use stride = size, as PyTorch's max_pool2d does?

    ko: stride를 주지 않으면 pool_output_size가 PyTorch의 max_pool2d처럼 stride = size를 쓰나요?
    """
    for case in range(6):
        size = int(rng.integers(2, 5))
        n = _pool_input(rng, size, size, case)
        what = f"pool_output_size(n={n}, size={size})"
        got = as_array(student.pool_output_size(n, size), what)
        check_shape(got, (), what)
        check_integral(got, what)
        check_close(got, _torch_pool_size(n, size, None), what)


def test_pool_output_size_with_stride(student, rng):
    """With an explicit stride (overlapping windows too), does pool_output_size match PyTorch?

    ko: stride를 직접 줄 때(창이 겹치는 경우 포함) pool_output_size가 PyTorch와 같은가요?
    """
    for case in range(6):
        size, stride = int(rng.integers(2, 5)), int(rng.integers(2, 4)) if case < 4 else 1  # 4, 5: overlapping
        n = _pool_input(rng, size, stride, case)
        what = f"pool_output_size(n={n}, size={size}, stride={stride})"
        got = as_array(student.pool_output_size(n, size, stride), what)
        check_shape(got, (), what)
        check_integral(got, what)
        check_close(got, _torch_pool_size(n, size, stride), what)


# -- conv2d ----------------------------------------------------------------------------------
def _torch_conv2d(image: np.ndarray, kernel: np.ndarray, stride: int, padding: int) -> np.ndarray:
    x = torch.from_numpy(np.asarray(image, dtype=np.float64))[None, None]
    k = torch.from_numpy(np.asarray(kernel, dtype=np.float64))[None, None]
    return F.conv2d(x, k, stride=stride, padding=padding)[0, 0].numpy()


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64"])
def test_conv2d_matches_scipy(student, rng, dtype):
    """At stride 1, does conv2d equal scipy's correlate2d(mode="valid") on the zero-padded image?

    ko: 스트라이드 1에서 conv2d가 0으로 패딩한 이미지에 대한 scipy의 correlate2d(mode="valid")와 같은가요?
    """
    for kh, kw in [(3, 3), (2, 3), (1, 1), (5, 4)]:
        h, w = int(rng.integers(kh, 16)), int(rng.integers(kw, 16))
        padding = int(rng.integers(0, 3))
        if dtype == "int64":  # an int kernel too, as a hand-written edge filter would be
            image, kernel = rng.integers(-5, 6, size=(h, w)), rng.integers(-3, 4, size=(kh, kw))
        else:
            image, kernel = rng.normal(size=(h, w)).astype(dtype), rng.normal(size=(kh, kw))
        expected = correlate2d(np.pad(image.astype(np.float64), padding), kernel, mode="valid")
        what = label(
            f"conv2d(image of shape {(h, w)} ({dtype}), kernel of shape {(kh, kw)}, padding={padding})",
            f"conv2d(모양이 {(h, w)}인 {dtype} 이미지, 모양이 {(kh, kw)}인 커널, padding={padding})",
        )
        check_close(student.conv2d(image, kernel, padding=padding), expected, what, rtol=1e-5, atol=1e-6)


def test_conv2d_stride_padding_matches_torch(student, rng):
    """With strides and padding, does conv2d equal PyTorch's F.conv2d (shape and values)?

    ko: 스트라이드와 패딩이 있을 때 conv2d가 PyTorch의 F.conv2d와 같은가요 (모양과 값)?
    """
    for _ in range(6):
        k = int(rng.integers(2, 6))
        kernel = rng.normal(size=(k, k))
        h, w = int(rng.integers(k, 20)), int(rng.integers(k, 20))
        stride, padding = int(rng.integers(2, 4)), int(rng.integers(0, 3))
        image = rng.normal(size=(h, w))
        what = label(
            f"conv2d(image of shape {(h, w)}, {k}x{k} kernel, stride={stride}, padding={padding})",
            f"conv2d(모양이 {(h, w)}인 이미지, {k}x{k} 커널, stride={stride}, padding={padding})",
        )
        check_close(
            student.conv2d(image, kernel, stride=stride, padding=padding),
            _torch_conv2d(image, kernel, stride, padding),
            what,
            rtol=1e-6,
            atol=1e-8,
        )


def test_conv2d_is_cross_correlation(student, rng):
    """With a lopsided kernel, does conv2d slide it unflipped, as deep-learning layers do?

    ko: 비대칭 커널에서 conv2d가 딥러닝 층처럼 커널을 뒤집지 않고 그대로 밀며 계산하나요?
    """
    image = rng.normal(size=(9, 8))
    kernel = np.triu(rng.uniform(0.5, 2.0, size=(3, 3)))  # far from its own 180-degree rotation
    expected = correlate2d(image, kernel, mode="valid")
    got = as_array(student.conv2d(image, kernel), "conv2d(image, kernel)")
    check_shape(got, expected.shape, "conv2d(image, kernel)")
    if np.allclose(got, convolve2d(image, kernel, mode="valid"), rtol=1e-6, atol=1e-8):
        fail(
            "conv2d flips the kernel (a true convolution). Deep-learning libraries slide the kernel as it is: "
            "out[i, j] = sum of x[i + a, j + b] * k[a, b].",
            "conv2d가 커널을 뒤집었습니다 (수학적 합성곱). 딥러닝 라이브러리는 커널을 그대로 밀며 계산합니다: "
            "out[i, j] = Σ x[i + a, j + b] · k[a, b].",
            cause="values",
        )
    check_close(got, expected, "conv2d(image, kernel)", rtol=1e-6, atol=1e-8)


def test_conv2d_accepts_lists(student, rng):
    """Does conv2d accept nested Python lists as well as arrays?

    ko: conv2d가 배열뿐 아니라 중첩된 Python 리스트도 받나요?
    """
    image = rng.integers(0, 10, size=(5, 6))
    # top-left ≥ 3 > bottom-right: never its own 180° rotation, so a flipped kernel is caught
    kernel = np.array([[3, 0], [0, 0]]) + np.triu(rng.integers(0, 3, size=(2, 2)))
    expected = correlate2d(image.astype(float), kernel.astype(float), mode="valid")
    check_close(student.conv2d(image.tolist(), kernel.tolist()), expected, "conv2d(list, list)")


# -- max_pool2d ------------------------------------------------------------------------------
def _torch_max_pool(x: np.ndarray, size: int, stride: int | None) -> np.ndarray:
    return F.max_pool2d(torch.from_numpy(x)[None, None], size, stride=stride)[0, 0].numpy()


def test_max_pool2d_default_stride(student, rng):
    """Does max_pool2d(x, size) match PyTorch's max_pool2d with stride = size, odd sizes included?

    ko: max_pool2d(x, size)가 stride = size인 PyTorch의 max_pool2d와 같은가요 (홀수 size 포함)?
    """
    for size in (2, 3):
        h, w = int(rng.integers(size, 15)), int(rng.integers(size, 15))
        x = rng.normal(size=(h, w)) - 3.0  # mostly negative: a zero-padded or zero-started max shows
        what = label(f"max_pool2d(x of shape {(h, w)}, size={size})", f"max_pool2d(모양이 {(h, w)}인 x, size={size})")
        check_close(student.max_pool2d(x, size), _torch_max_pool(x, size, None), what)


def test_max_pool2d_overlapping(student, rng):
    """With a stride smaller than the window, does max_pool2d match PyTorch's max_pool2d?

    ko: stride가 창 크기보다 작을 때 max_pool2d가 PyTorch의 max_pool2d와 같은가요?
    """
    for size, stride in [(3, 2), (2, 1), (3, 1)]:
        h, w = int(rng.integers(size, 15)), int(rng.integers(size, 15))
        x = rng.normal(size=(h, w))
        what = label(
            f"max_pool2d(x of shape {(h, w)}, size={size}, stride={stride})",
            f"max_pool2d(모양이 {(h, w)}인 x, size={size}, stride={stride})",
        )
        check_close(student.max_pool2d(x, size, stride), _torch_max_pool(x, size, stride), what)


@pytest.mark.parametrize("kind", ["float32", "int", "list"])
def test_max_pool2d_input_types(student, rng, kind):
    """Does max_pool2d take a float32 array, an int array and a nested Python list as well?

    ko: max_pool2d가 float32 배열, int 배열, 중첩된 Python 리스트도 받나요?
    """
    h, w = int(rng.integers(4, 12)), int(rng.integers(4, 12))
    x = (
        rng.integers(-9, 0, size=(h, w)) if kind == "int" else rng.normal(size=(h, w)) - 3.0
    )  # mostly negative, as above
    sent = {"float32": x.astype(np.float32), "int": x, "list": x.tolist()}[kind]
    expected = _torch_max_pool(np.asarray(sent, dtype=np.float64), 2, None)
    what = label(f"max_pool2d(x of shape {(h, w)} ({kind}), size=2)", f"max_pool2d(모양이 {(h, w)}인 {kind} x, size=2)")
    check_close(student.max_pool2d(sent, 2), expected, what, rtol=1e-6, atol=1e-6)


# -- parameter counts --------------------------------------------------------------------------
def _count(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def test_conv2d_params(student, rng):
    """Does conv2d_params count the weights and biases of a PyTorch Conv2d layer?

    ko: conv2d_params가 PyTorch Conv2d 층의 가중치와 편향 개수를 바르게 세나요?
    """
    for _ in range(5):
        c_in, c_out, k = int(rng.integers(1, 65)), int(rng.integers(1, 129)), int(rng.choice([1, 3, 5, 7]))
        what = f"conv2d_params({c_in}, {c_out}, {k})"
        got = as_array(student.conv2d_params(c_in, c_out, k), what)
        check_integral(got, what)
        check_close(got, _count(torch.nn.Conv2d(c_in, c_out, k)), what)


def test_dense_params(student, rng):
    """Does dense_params count the weights and biases of a PyTorch Linear layer?

    ko: dense_params가 PyTorch Linear 층의 가중치와 편향 개수를 바르게 세나요?
    """
    for _ in range(5):
        n_in, n_out = int(rng.integers(1, 1000)), int(rng.integers(1, 300))
        what = f"dense_params({n_in}, {n_out})"
        got = as_array(student.dense_params(n_in, n_out), what)
        check_integral(got, what)
        check_close(got, _count(torch.nn.Linear(n_in, n_out)), what)


def test_notes_cnn_total(student):
    """Do the per-layer counts add up to the 239,539 parameters of the notes' Keras CNN?

    ko: 층마다 센 파라미터 수를 더하면 강의 노트 Keras CNN의 파라미터 239,539개가 되나요?
    """
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 32, 3),
        torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(32, 64, 3),
        torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(64, 64, 3),
        torch.nn.Flatten(),
        torch.nn.Linear(576, 250),
        torch.nn.Linear(250, 125),
        torch.nn.Linear(125, 60),
        torch.nn.Linear(60, 10),
    )
    total = 0.0
    for c_in, c_out in [(1, 32), (32, 64), (64, 64)]:
        total += float(as_array(student.conv2d_params(c_in, c_out, 3), f"conv2d_params({c_in}, {c_out}, 3)"))
    for n_in, n_out in [(576, 250), (250, 125), (125, 60), (60, 10)]:
        total += float(as_array(student.dense_params(n_in, n_out), f"dense_params({n_in}, {n_out})"))
    check_close(
        total,
        _count(model),
        label("the total parameter count of the notes' CNN", "강의 노트 CNN의 전체 파라미터 수"),
        show=True,
    )
