"""Public sanity checks for conv.py: run `python -m pytest test_conv.py` beside your file.

공개 확인 테스트입니다. conv.py와 같은 폴더에서 `python -m pytest test_conv.py`로 실행하세요.
The hidden grader checks much more (random sizes, strides, padding, error cases).
"""
import numpy as np
import pytest

from conv import conv2d, conv2d_params, conv_output_size, dense_params, max_pool2d, pool_output_size, same_padding


def test_output_size_notes_example():
    """Does a 7-wide input with a 3-wide filter at stride 2 give (7 - 3) / 2 + 1 = 3?"""
    assert conv_output_size(7, 3, 0, 2) == 3


def test_output_size_defaults():
    """Does a 3x3 filter shrink 28 to 26 with the default p=0, s=1?"""
    assert conv_output_size(28, 3) == 26


def test_filter_too_big_raises():
    """Is a ValueError raised when a 5-wide filter meets a 3-wide input without padding?"""
    with pytest.raises(ValueError):
        conv_output_size(3, 5)


def test_same_padding():
    """Do 3x3 and 5x5 filters need padding 1 and 2?"""
    assert same_padding(3) == 1 and same_padding(5) == 2


def test_pool_output_size_default_stride():
    """Does 2x2 pooling halve 28 to 14?"""
    assert pool_output_size(28, 2) == 14


def test_conv2d_small_example():
    """Does the docstring's 3x3 example give all -4 (no kernel flip)?"""
    got = conv2d([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 0], [0, -1]])
    assert np.allclose(got, [[-4, -4], [-4, -4]])


def test_max_pool2d_small_example():
    """Does 2x2 max pooling of [[1,2,5,6],[3,4,7,8]] give [[4, 8]]?"""
    assert np.allclose(max_pool2d([[1, 2, 5, 6], [3, 4, 7, 8]]), [[4, 8]])


def test_notes_cnn_total():
    """Does the notes' Keras CNN have 239,539 parameters?"""
    convs = conv2d_params(1, 32, 3) + conv2d_params(32, 64, 3) + conv2d_params(64, 64, 3)
    dense = dense_params(3 * 3 * 64, 250) + dense_params(250, 125) + dense_params(125, 60) + dense_params(60, 10)
    assert convs + dense == 239_539
