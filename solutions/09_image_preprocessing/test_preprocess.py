"""Public sanity checks for preprocess.py: run `python -m pytest test_preprocess.py` beside your file.

공개 확인 테스트입니다. preprocess.py와 같은 폴더에서 `python -m pytest test_preprocess.py`로 실행하세요.
The hidden grader checks much more (photos of many sizes, grey and colour, PIL images).
"""
import numpy as np
from PIL import Image

from preprocess import prepare_image


def _photo(rgb: bool) -> np.ndarray:
    """A light 120x90 'photo' with a dark rectangle in the middle."""
    photo = np.full((120, 90, 3) if rgb else (120, 90), 230, dtype=np.uint8)
    photo[30:90, 25:65] = 40
    return photo


def test_shape_and_dtype():
    """Is the result a float32 array of shape (1, 28, 28, 1), batch axis included?"""
    x = prepare_image(_photo(rgb=True))
    assert x.shape == (1, 28, 28, 1)
    assert x.dtype == np.float32


def test_range_and_inversion():
    """Are values in [0, 1], with the light background near 0 and the dark item bright?"""
    x = prepare_image(_photo(rgb=False))[0, :, :, 0]
    assert 0.0 <= x.min() and x.max() <= 1.0
    assert x[0, 0] < 0.2 and x[14, 14] > 0.7


def test_pil_image_input():
    """Does a PIL image work as well as an array?"""
    x = prepare_image(Image.fromarray(_photo(rgb=True)))
    assert x.shape == (1, 28, 28, 1)


def test_empty_white_photo():
    """Does an all-white photo become all zeros (nothing to see)?"""
    assert np.allclose(prepare_image(np.full((300, 200), 255, dtype=np.uint8)), 0.0)
