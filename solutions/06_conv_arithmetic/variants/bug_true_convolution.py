# expect-fail: test_conv2d_matches_scipy, test_conv2d_stride_padding_matches_torch, test_conv2d_is_cross_correlation, test_conv2d_accepts_lists
# overlay-on: reference


def conv2d(image, kernel, stride: int = 1, padding: int = 0) -> np.ndarray:
    x = np.pad(np.asarray(image, dtype=np.float64), padding)
    k = np.asarray(kernel, dtype=np.float64)[::-1, ::-1]
    # every kh x kw window of x, then every stride-th one in each direction
    windows = np.lib.stride_tricks.sliding_window_view(x, k.shape)[::stride, ::stride]
    return np.einsum("ijab,ab->ij", windows, k)
