# expect-fail: test_conv2d_params, test_dense_params, test_notes_cnn_total
# overlay-on: reference


def conv2d_params(in_channels: int, out_channels: int, kernel_size: int) -> int:
    return in_channels * kernel_size * kernel_size * out_channels


def dense_params(n_in: int, n_out: int) -> int:
    return n_in * n_out
