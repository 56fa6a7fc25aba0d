# %% [markdown]
# # 06 합성곱 연산 / Convolution arithmetic
#
# **한국어** — 합성곱 신경망(CNN)을 설계하려면 각 층을 지난 뒤 특징 맵(feature map)의 크기와
# 파라미터 수를 손으로 계산할 수 있어야 합니다. 이 과제에서는 numpy만으로 다음을 구현합니다.
#
# - 출력 크기 공식 ⌊(n + 2p − f) / s⌋ + 1 과 `same` 패딩, 풀링 출력 크기
# - 딥러닝 라이브러리가 계산하는 2차원 합성곱(사실은 교차상관, cross-correlation)과 최대 풀링
# - 합성곱 층과 완전연결(Dense) 층의 파라미터 수 (가중치 + 편향)
#
# **English** — To design a convolutional network you must be able to work out, by hand,
# the size of every feature map and the number of parameters of every layer. In this
# assignment you implement with numpy only:
#
# - the output-size rule ⌊(n + 2p − f) / s⌋ + 1, `same` padding and the pooling output size
# - 2-D convolution as deep-learning libraries compute it (really a cross-correlation) and max pooling
# - the parameter counts (weights + biases) of convolutional and dense layers
#
# 기호 / Notation: n = 입력 크기 / input size, f = 필터 크기 / filter size,
# p = 패딩 / padding, s = 스트라이드 / stride.

# %%
import numpy as np


# %% [markdown]
# ## 1. 출력 크기 / Output size
#
# **한국어** — 크기 n인 입력에 양쪽으로 p만큼 0을 채우고, 크기 f인 필터를 s칸씩 옮기면
# 필터가 들어가는 위치의 수는 ⌊(n + 2p − f) / s⌋ + 1 입니다. 마지막 위치에서 필터가 입력
# 밖으로 나가면 그 위치는 버립니다(내림). 강의 노트의 예: n = 7, f = 3, p = 0, s = 2 이면
# (7 − 3) / 2 + 1 = 3. 필터가 들어가지 않거나 (f > n + 2p) 스트라이드가 0 이하이면
# `ValueError`를 발생시키세요.
#
# **English** — Pad an input of size n with p zeros on each side and slide a filter of
# size f by s steps: the filter fits in ⌊(n + 2p − f) / s⌋ + 1 positions. A last position
# that would stick out of the input is dropped (floor). The notes' example: n = 7, f = 3,
# p = 0, s = 2 gives (7 − 3) / 2 + 1 = 3. Raise `ValueError` when the filter does not fit
# (f > n + 2p) or the stride is not positive.

# %%
def conv_output_size(n: int, f: int, p: int = 0, s: int = 1) -> int:
    """Size of a convolution's output along one axis.

    Formula: out = floor((n + 2p - f) / s) + 1, the rule PyTorch and Keras use.

    Args:
        n: input size (height or width).
        f: filter (kernel) size.
        p: zero padding added on each side.
        s: stride, a positive integer.

    Returns:
        int: the output size.

    Raises:
        ValueError: if the filter does not fit (f > n + 2p) or s <= 0.

    Example:
        >>> conv_output_size(7, 3, 0, 2)
        3

    한국어: 합성곱 출력의 한 축 크기 out = ⌊(n + 2p − f) / s⌋ + 1 을 정수로 반환합니다.
    n은 입력 크기, f는 필터 크기, p는 한쪽 패딩, s는 스트라이드(양의 정수)입니다.
    필터가 들어가지 않거나(f > n + 2p) s ≤ 0 이면 ValueError를 발생시킵니다.
    예: conv_output_size(7, 3, 0, 2) == 3
    """
    # 여기에 코드를 작성하세요 / YOUR CODE HERE
    raise NotImplementedError()


# %% [markdown]
# ## 2. `same` 패딩과 풀링 / `same` padding and pooling
#
# **한국어** — 스트라이드 1에서 출력 크기가 입력 크기와 같으려면 n + 2p − f + 1 = n,
# 즉 p = (f − 1) / 2 이어야 합니다 (홀수 f). 풀링은 패딩이 없는 합성곱과 같은 크기 규칙을
# 따르며, 스트라이드를 주지 않으면 창(window) 크기와 같습니다: 28 → 2×2 풀링 → 14.
#
# **English** — At stride 1 the output keeps the input's size when n + 2p − f + 1 = n,
# that is p = (f − 1) / 2 (odd f). Pooling follows the size rule of a convolution without
# padding, and its stride defaults to the window size: 28 → 2×2 pooling → 14.

# %%
def same_padding(f: int) -> int:
    """Padding that keeps the size unchanged at stride 1, for an odd filter size f.

    Formula: p = (f - 1) / 2.

    Args:
        f: odd filter size.

    Returns:
        int: the padding on each side.

    Example:
        >>> same_padding(3), same_padding(5)
        (1, 2)

    한국어: 스트라이드 1에서 크기를 유지하는 패딩 p = (f − 1) / 2 (홀수 f). 예: same_padding(5) == 2
    """
    # 여기에 코드를 작성하세요 / YOUR CODE HERE
    raise NotImplementedError()


# %%
def pool_output_size(n: int, size: int, stride: int | None = None) -> int:
    """Output size of a pooling layer along one axis (no padding).

    Formula: out = floor((n - size) / stride) + 1, with stride = size when not given.

    Args:
        n: input size.
        size: pooling window size.
        stride: step between windows; None means `size`.

    Returns:
        int: the output size.

    Example:
        >>> pool_output_size(28, 2), pool_output_size(7, 3, 2)
        (14, 3)

    한국어: 풀링 출력 크기 ⌊(n − size) / stride⌋ + 1. stride를 주지 않으면 size와 같습니다.
    예: pool_output_size(28, 2) == 14
    """
    # 여기에 코드를 작성하세요 / YOUR CODE HERE
    raise NotImplementedError()


# %% [markdown]
# ## 3. 2차원 합성곱 / 2-D convolution
#
# **한국어** — 딥러닝의 "합성곱"은 필터를 뒤집지 않고 겹치는 부분을 곱해서 더합니다
# (수학에서는 교차상관이라고 부릅니다). 출력 위치 (i, j)의 값은
# out[i, j] = Σ_a Σ_b x[i·s + a, j·s + b] · k[a, b] 이고, x는 0으로 패딩한 이미지입니다.
# 먼저 `np.pad`로 패딩한 뒤, 두 개의 반복문으로 필터를 옮기며 계산하면 됩니다
# (`np.lib.stride_tricks.sliding_window_view`를 쓰면 반복문 없이도 할 수 있습니다).
#
# **English** — A deep-learning "convolution" multiplies the overlapping entries and sums
# them without flipping the filter (mathematicians call this cross-correlation). The
# output at (i, j) is out[i, j] = Σ_a Σ_b x[i·s + a, j·s + b] · k[a, b], where x is the
# zero-padded image. Pad first with `np.pad`, then slide the filter with two loops
# (or, without loops, with `np.lib.stride_tricks.sliding_window_view`).

# %%
def conv2d(image, kernel, stride: int = 1, padding: int = 0) -> np.ndarray:
    """Single-channel 2-D cross-correlation with zero padding, as in deep-learning libraries.

    Formula: out[i, j] = sum_a sum_b xp[i*stride + a, j*stride + b] * kernel[a, b],
    where xp is the image padded with `padding` zeros on every side.

    Args:
        image: array (H, W).
        kernel: array (kh, kw); it is NOT flipped.
        stride: step of the filter in both directions.
        padding: zeros added on each side of the image.

    Returns:
        float array (out_h, out_w) with out_h = floor((H + 2*padding - kh) / stride) + 1
        (and the same rule for the width).

    Example:
        >>> conv2d([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 0], [0, -1]])
        array([[-4., -4.],
               [-4., -4.]])

    한국어: 단일 채널 2차원 교차상관(필터를 뒤집지 않음)을 0 패딩과 스트라이드로 계산합니다.
    image는 (H, W), kernel은 (kh, kw) 배열이고, 결과는 (out_h, out_w) 실수 배열입니다.
    out[i, j] = Σ_a Σ_b xp[i·stride + a, j·stride + b] · kernel[a, b] (xp는 패딩한 이미지).
    """
    # 여기에 코드를 작성하세요 / YOUR CODE HERE
    raise NotImplementedError()


# %%
def max_pool2d(x, size: int = 2, stride: int | None = None) -> np.ndarray:
    """2-D max pooling of a single-channel map, without padding.

    Formula: out[i, j] = max of x[i*stride : i*stride + size, j*stride : j*stride + size];
    windows that would stick out of x are dropped.

    Args:
        x: array (H, W).
        size: window size.
        stride: step between windows; None means `size`.

    Returns:
        array (out_h, out_w) with out_h = floor((H - size) / stride) + 1.

    Example:
        >>> max_pool2d([[1, 2, 5, 6], [3, 4, 7, 8]])
        array([[4., 8.]])

    한국어: 단일 채널 최대 풀링. 각 창(size × size)의 최댓값을 모읍니다. stride 기본값은 size이며,
    x는 (H, W), 결과는 (⌊(H − size) / stride⌋ + 1, ...) 모양입니다.
    """
    # 여기에 코드를 작성하세요 / YOUR CODE HERE
    raise NotImplementedError()


# %% [markdown]
# ## 4. 파라미터 수 / Parameter counts
#
# **한국어** — 합성곱 층은 출력 채널마다 (입력 채널 × f × f)개의 가중치와 편향 1개를 가집니다:
# (c_in · f · f + 1) · c_out. 완전연결 층은 (n_in + 1) · n_out 입니다. 강의 노트의 Keras
# 모델 (28×28×1 입력, Conv 32 3×3 → MaxPool → Conv 64 → MaxPool → Conv 64 → Flatten →
# Dense 250 → 125 → 60 → 10)의 파라미터 수는 모두 239,539개입니다.
#
# **English** — A convolutional layer has (c_in · f · f) weights and one bias per output
# channel: (c_in · f · f + 1) · c_out. A dense layer has (n_in + 1) · n_out. The notes'
# Keras model (input 28×28×1, Conv 32 3×3 → MaxPool → Conv 64 → MaxPool → Conv 64 →
# Flatten → Dense 250 → 125 → 60 → 10) has 239,539 parameters in all.

# %%
def conv2d_params(in_channels: int, out_channels: int, kernel_size: int) -> int:
    """Weights and biases of a 2-D convolution layer with a square kernel.

    Formula: (in_channels * kernel_size * kernel_size + 1) * out_channels.

    Example:
        >>> conv2d_params(1, 32, 3)
        320

    한국어: 합성곱 층의 가중치와 편향 수 (c_in · f · f + 1) · c_out. 예: conv2d_params(1, 32, 3) == 320
    """
    # 여기에 코드를 작성하세요 / YOUR CODE HERE
    raise NotImplementedError()


# %%
def dense_params(n_in: int, n_out: int) -> int:
    """Weights and biases of a dense (fully connected) layer.

    Formula: (n_in + 1) * n_out.

    Example:
        >>> dense_params(60, 10)
        610

    한국어: 완전연결 층의 가중치와 편향 수 (n_in + 1) · n_out. 예: dense_params(60, 10) == 610
    """
    # 여기에 코드를 작성하세요 / YOUR CODE HERE
    raise NotImplementedError()


# %% [markdown]
# ## 확인해 보기 / Try it
#
# **한국어** — 아래 셀은 강의 노트의 CNN을 층별로 따라가며 크기와 파라미터 수를 출력합니다.
#
# **English** — The cell below walks through the notes' CNN layer by layer, printing sizes
# and parameter counts.

# %%
if __name__ == "__main__":
    size, total = 28, 0
    for c_in, c_out in [(1, 32), (32, 64), (64, 64)]:
        size = conv_output_size(size, 3)
        total += conv2d_params(c_in, c_out, 3)
        print(f"Conv {c_out} 3x3 -> {size}x{size}x{c_out}")
        if c_in != 64:
            size = pool_output_size(size, 2)
            print(f"MaxPool 2x2 -> {size}x{size}x{c_out}")
    n = size * size * 64
    for n_out in [250, 125, 60, 10]:
        total += dense_params(n, n_out)
        n = n_out
    print("total parameters:", total)
