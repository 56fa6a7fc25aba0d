"""Hidden tests of 09 image_preprocessing (preprocess.py): prepare_image on synthetic photos.

The photos are drawn here: a light background with a gradient, a dark garment-like shape
and sensor noise, grey or faintly tinted, of many sizes. The reference is the parent's own
PIL pipeline (convert("L"), resize((28, 28)), 255 - x, / 255). Values are compared by mean
absolute error: every common resampling filter and grey conversion stays below
MAE_TOLERANCE (measured worst case about 0.055: NEAREST with a channel-mean grey), while
a missing inversion (about 0.35 and up) or a centre crop of a wide photo of a pair of
shoes (about 0.11 and up) lands far above it. Strongly coloured photos (a magenta garment
on green) are judged against the nearest of the common grey conversions (ITU-R 601, 709,
the channel mean: at most about 0.04 away), where a single colour channel kept as "grey"
lands 0.1 and more away. A pure black box on a pure white background pins the scale:
far from every edge every correct pipeline gives exactly 1 inside the box and 0 (never
below) in the background, where 254 − x, 256 − x or a division by 254 or 256 lands about
1/255 off, far inside MAE_TOLERANCE.
"""

import numpy as np
import pytest
from PIL import Image, ImageDraw

from autograder.engine.checks import as_array, check_finite, check_shape
from autograder.engine.feedback import Failure, fail, ko, label
from autograder.engine.recording import StudentCall, pil_image

MAE_TOLERANCE = 0.08
# Grey conversions in common use, as PIL's convert("L", matrix=...): ITU-R 601 (PIL's own "L", OpenCV,
# torchvision), ITU-R 709 (scikit-image) and the plain channel mean. A strongly coloured photo is
# judged against the nearest of them, a photo whose colours are near grey against 601 alone.
GREYS = {"601": (0.299, 0.587, 0.114, 0), "709": (0.2126, 0.7152, 0.0722, 0), "mean": (1 / 3, 1 / 3, 1 / 3, 0)}
CHANNELS = {"red": (1, 0, 0, 0), "green": (0, 1, 0, 0), "blue": (0, 0, 1, 0)}
GREEN_MAGENTA = np.array([-0.459, 0.814, -0.355])  # a colour direction (sum 0) far from grey for every single channel
COLOR_KO = {"grey": "흑백", "rgb": "컬러", "colour": "컬러"}
LAYOUT_KO = {"wide": "가로로 긴", "tall": "세로로 긴"}
COLOUR_KO = {"red": "빨강(R)", "green": "초록(G)", "blue": "파랑(B)"}


# -- synthetic photos ----------------------------------------------------------------------------
def _background(rng, h: int, w: int) -> np.ndarray:
    yy, xx = np.mgrid[0:h, 0:w]
    return rng.uniform(190, 235) + rng.uniform(-15, 15) * (xx / w) + rng.uniform(-15, 15) * (yy / h)


def _finish(rng, base: np.ndarray, mask_image: Image.Image, rgb: bool) -> tuple[np.ndarray, np.ndarray]:
    """Photo pixels (uint8) and the garment mask (bool) from a background and a drawn mask."""
    mask = np.asarray(mask_image, dtype=np.float64) / 255
    h, w = mask.shape
    grey = base * (1 - mask) + rng.uniform(20, 90) * mask + rng.normal(0, 6, size=(h, w))
    if rgb:
        # a faint tint: any single channel stays near grey here (strong colours: coloured_photo)
        grey = (
            grey[..., None]
            + (1 - mask[..., None]) * rng.uniform(-6, 6, size=3)
            + mask[..., None] * rng.uniform(-10, 10, size=3)
        )
    return np.clip(grey, 0, 255).astype(np.uint8), mask > 0.5


def _garment_mask(rng, h: int, w: int) -> Image.Image:
    """The outline of a t-shirt, a pair of trousers or a dress, filling most of an h×w picture."""
    outlines = [
        [
            (0.3, 0.1),
            (0.7, 0.1),
            (0.95, 0.35),
            (0.8, 0.45),
            (0.72, 0.35),
            (0.72, 0.92),
            (0.28, 0.92),
            (0.28, 0.35),
            (0.2, 0.45),
            (0.05, 0.35),
        ],
        [(0.25, 0.05), (0.75, 0.05), (0.85, 0.95), (0.6, 0.95), (0.5, 0.35), (0.4, 0.95), (0.15, 0.95)],
        [(0.4, 0.08), (0.6, 0.08), (0.62, 0.3), (0.9, 0.92), (0.1, 0.92), (0.38, 0.3)],
    ]
    outline = outlines[int(rng.integers(len(outlines)))]
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).polygon(
        [(x * w + rng.normal(0, 0.02 * w), y * h + rng.normal(0, 0.02 * h)) for x, y in outline], fill=255
    )
    return mask


def garment_photo(rng, h: int, w: int, rgb: bool) -> tuple[np.ndarray, np.ndarray]:
    """A dark t-shirt, pair of trousers or dress on a light background."""
    return _finish(rng, _background(rng, h, w), _garment_mask(rng, h, w), rgb)


def coloured_photo(rng, h: int, w: int) -> np.ndarray:
    """A dark magenta garment on a light green background: strong colours, so one channel kept instead of grey shows.

    Both colours lie along GREEN_MAGENTA, where the common grey conversions agree with one
    another and each single channel is at least 0.35 grey levels per unit away from all of them.
    """
    mask = np.asarray(_garment_mask(rng, h, w), dtype=np.float64)[..., None] / 255
    background = rng.uniform(150, 165) + rng.uniform(95, 105) * GREEN_MAGENTA
    garment = rng.uniform(70, 80) - rng.uniform(70, 85) * GREEN_MAGENTA
    pixels = background * (1 - mask) + garment * mask + rng.normal(0, 3, size=(h, w, 3))
    return np.clip(pixels, 0, 255).astype(np.uint8)


def shoes_photo(rng, h: int, w: int, rgb: bool) -> tuple[np.ndarray, np.ndarray]:
    """A pair of shoes, one near each end of a long photo: a centre crop loses both."""
    mask = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(mask)
    for end in (0, 1):
        a = rng.uniform(0.03, 0.08) + end * rng.uniform(0.6, 0.65)  # along the long side
        b = a + rng.uniform(0.25, 0.3)
        c, e = rng.uniform(0.15, 0.3), rng.uniform(0.7, 0.85)  # across it
        draw.ellipse((a * w, c * h, b * w, e * h) if w >= h else (c * w, a * h, e * w, b * h), fill=255)
    return _finish(rng, _background(rng, h, w), mask, rgb)


# Photos of a pure black box (0) on a pure white background (255), its edges at output pixels BOX_* of 28 (shifted
# by up to half a pixel). Only areas at least 6 output pixels from the box's edges and 3 from the photo's are
# judged: a constant area stays constant under every common resampling filter (Lanczos-5 reaches 5 output pixels,
# a Gaussian pre-blur about 2) and every grey conversion (their weights sum to 1), so there every correct pipeline
# gives 0 (the background; one grey level more where a float grey such as 254.99999 is cut to uint8) and 1 (the
# item), up to float rounding (a float32 resize: a few 1e-6).
BOX_SMALL, BOX_LARGE = (11, 17), (3, 25)
_PIXELS = np.arange(28)
_BAND, _NEAR = (_PIXELS >= 3) & (_PIXELS < 25), (_PIXELS < 5) | (_PIXELS >= 23)
BACKGROUND_INSIDE = (_BAND & _NEAR)[:, None] & _BAND[None, :] | _BAND[:, None] & (_BAND & _NEAR)[
    None, :
]  # around BOX_SMALL
ITEM_INSIDE = ((_PIXELS >= 10) & (_PIXELS < 18))[:, None] & ((_PIXELS >= 10) & (_PIXELS < 18))[
    None, :
]  # inside BOX_LARGE
ROUNDING = 1e-4


def box_photo(rng, size: int, rgb: bool, box: tuple[int, int]) -> np.ndarray:
    """A size×size photo: a pure black box (0) spanning output pixels `box` each way, on pure white (255)."""
    pixels = np.full((size, size), 255, dtype=np.uint8)
    (top, bottom), (left, right) = (
        np.round((np.array(box) + shift) * size / 28).astype(int) for shift in rng.uniform(-0.5, 0.5, size=2)
    )
    pixels[top:bottom, left:right] = 0
    return np.repeat(pixels[..., None], 3, axis=-1) if rgb else pixels


def reference(pixels: np.ndarray, matrix: tuple | None = None) -> np.ndarray:
    """The parent's own pipeline, as a (28, 28) float64 image; `matrix`, another grey conversion (R, G, B, 0)."""
    image = Image.fromarray(pixels)
    grey = (image.convert("L") if matrix is None else image.convert("L", matrix=matrix)).resize((28, 28))
    return (255.0 - np.asarray(grey, dtype=np.float64)) / 255.0


def _square_sizes(rng, count: int) -> list[int]:
    return [int(s) for s in rng.integers(28, 480, size=count)]


# -- calling and reading the student's answer -------------------------------------------------------
def _prepare(student, pixels: np.ndarray, what: str, pil_mode: str | None = None) -> np.ndarray:
    if pil_mode is None:
        value = student.prepare_image(pixels)
    else:
        try:
            made = StudentCall("prepare_image", (pil_image(pixels, pil_mode),))
            value = student.drive("prepare_pil_image", pixels=pixels, mode=pil_mode, calls=[made])
        except Failure as failure:  # name the student's function, not the driver
            raise Failure(
                failure.en.replace("prepare_pil_image()", "prepare_image()"),
                failure.ko.replace("prepare_pil_image()", "prepare_image()"),
                cause=failure.cause,
            ) from None
    got = as_array(value, what)
    check_finite(got, what)
    return got


def _as_image(got: np.ndarray, what: str) -> np.ndarray:
    """The 28x28 picture inside any layout of 784 values (the layout is graded on its own)."""
    if got.size != 28 * 28:
        fail(
            f"{what} has shape {got.shape}; it should hold one 28x28 image, shape (1, 28, 28, 1).",
            f"{ko(what)}의 모양이 {got.shape}입니다. 28x28 이미지 하나, 즉 (1, 28, 28, 1) 모양이어야 합니다.",
            cause="shape",
        )
    return got.reshape(28, 28)


def _check_like_reference(image: np.ndarray, expected: np.ndarray, what: str) -> None:
    error = float(np.mean(np.abs(image - expected)))
    if error <= MAE_TOLERANCE:
        return
    if image.max() > 1.5:
        hint_en, hint_ko = " Divide by 255 so the values lie in [0, 1].", " 값이 [0, 1]에 오도록 255로 나누세요."
    elif np.mean(np.abs((1 - image) - expected)) < error:
        hint_en, hint_ko = (
            " It looks not inverted: use 255 - x so the light background becomes 0.",
            " 반전되지 않은 것 같습니다: 밝은 배경이 0이 되도록 255 − x를 쓰세요.",
        )
    else:
        hint_en, hint_ko = (
            " Convert to grey, resize the whole image to 28x28, invert and divide by 255.",
            " 흑백 변환, 전체 이미지를 28x28로 크기 변경, 반전, 255로 나누기를 확인하세요.",
        )
    fail(
        f"{what} does not look like the expected Fashion-MNIST-style image (mean absolute difference {error:.3f}, "
        f"allowed {MAE_TOLERANCE}).{hint_en}",
        f"{ko(what)}이(가) 기대하는 Fashion-MNIST 형태의 이미지와 다릅니다 (평균 절대 차이 {error:.3f}, 허용 {MAE_TOLERANCE}).{hint_ko}",
        cause="values",
    )


# -- tests ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("color", ["grey", "rgb"])
def test_output_shape(student, rng, color):
    """Is the result shaped (1, 28, 28, 1), batch and channel axes included, for photos of any size?

    ko: 사진의 크기와 상관없이 결과의 모양이 배치 축과 채널 축을 포함한 (1, 28, 28, 1)인가요?
    """
    for h, w in [
        (int(rng.integers(28, 400)),) * 2,
        (int(rng.integers(40, 300)), int(rng.integers(300, 600))),
        (20, 16),
    ]:
        pixels, _ = garment_photo(rng, h, w, color == "rgb")
        pixels[h // 3 : h // 3 + max(h // 4, 4), w // 3 : w // 3 + max(w // 4, 4)] = (
            0  # a pure black patch: 1/x fails on every seed
        )
        what = label(
            f"prepare_image(a {color} photo of {w}x{h} pixels)", f"prepare_image({w}x{h} 픽셀의 {COLOR_KO[color]} 사진)"
        )
        got = _prepare(student, pixels, what)
        if got.shape == (28, 28, 1):
            fail(
                f"{what} has shape (28, 28, 1): the batch axis is missing (the day-2 bug). Reshape to (1, 28, 28, 1).",
                f"{ko(what)}의 모양이 (28, 28, 1)입니다. 배치 축이 빠졌습니다 (2일차의 버그). (1, 28, 28, 1)로 바꾸세요.",
                cause="shape",
            )
        check_shape(got, (1, 28, 28, 1), what)


def test_output_dtype_float32(student, rng):
    """Is the result float32, the dtype models are trained on?

    ko: 결과의 자료형이 모델이 학습할 때 쓰는 float32인가요?
    """
    pixels, _ = garment_photo(rng, 100, 80, True)
    value = student.prepare_image(pixels)
    dtype = getattr(value, "dtype", type(value))
    if str(dtype) != "float32":
        fail(
            f"prepare_image(photo) returned values of type {dtype}; convert them to float32 (e.g. .astype(np.float32)).",
            f"prepare_image(사진)의 자료형이 {dtype}입니다. float32로 바꾸세요 (예: .astype(np.float32)).",
            cause="type",
        )


@pytest.mark.parametrize("color", ["grey", "rgb"])
def test_values_in_0_1(student, rng, color):
    """Are all values between 0 and 1 (divided by 255)?

    ko: 모든 값이 0과 1 사이에 있나요 (255로 나누었나요)?
    """
    for size in _square_sizes(rng, 2):
        pixels, _ = garment_photo(rng, size, size, color == "rgb")
        what = label(
            f"prepare_image(a {color} photo of {size}x{size} pixels)",
            f"prepare_image({size}x{size} 픽셀의 {COLOR_KO[color]} 사진)",
        )
        got = _prepare(student, pixels, what)
        if got.min() < -1e-6 or got.max() > 1 + 1e-6:
            fail(
                f"{what} has values from {got.min():.3g} to {got.max():.3g}; they must lie in [0, 1]: divide by 255.",
                f"{ko(what)}의 값이 {got.min():.3g}부터 {got.max():.3g}까지입니다. [0, 1] 안에 있어야 합니다: 255로 나누세요.",
                cause="values",
            )


@pytest.mark.parametrize("color", ["grey", "rgb"])
def test_matches_pil_pipeline(student, rng, color):
    """On square photos of many sizes, does the result match grey -> 28x28 -> invert -> /255?

    ko: 여러 크기의 정사각형 사진에서 결과가 흑백 변환 -> 28x28 크기 변경 -> 반전 -> /255의 결과와 같은가요?
    """
    for size in _square_sizes(rng, 4):
        pixels, _ = garment_photo(rng, size, size, color == "rgb")
        what = label(
            f"prepare_image(a {color} photo of {size}x{size} pixels)",
            f"prepare_image({size}x{size} 픽셀의 {COLOR_KO[color]} 사진)",
        )
        image = _as_image(_prepare(student, pixels, what), what)
        _check_like_reference(image, reference(pixels), what)


def test_inverted(student, rng):
    """Is the dark item brighter than the light background in the result (inverted, like Fashion-MNIST)?

    ko: 결과에서 어두운 옷이 밝은 배경보다 밝게 나오나요 (Fashion-MNIST처럼 반전)?
    """
    for rgb in (False, True):
        pixels, mask = garment_photo(rng, 280, 280, rgb)
        color = "colour" if rgb else "grey"
        what = label(f"prepare_image(a {color} photo)", f"prepare_image({COLOR_KO[color]} 사진)")
        image = _as_image(_prepare(student, pixels, what), what)
        small = np.asarray(Image.fromarray(mask.astype(np.uint8) * 255).resize((28, 28), Image.Resampling.BOX)) / 255
        item, background = image[small > 0.9].mean(), image[small < 0.1].mean()
        if not item > background:
            fail(
                f"In {what} the item is darker than the background; invert the image (255 - x) so the light background becomes 0.",
                f"{ko(what)}에서 옷이 배경보다 어둡습니다. 밝은 배경이 0이 되도록 이미지를 반전하세요 (255 − x).",
                cause="values",
            )


@pytest.mark.parametrize("layout", ["wide", "tall"])
def test_squashes_whole_image(student, rng, layout):
    """On a long photo of a pair of shoes, is the whole image squashed to 28x28 (not cropped)?

    ko: 신발 한 켤레를 찍은 긴 사진에서 자르지 않고 이미지 전체를 28x28로 줄이나요?
    """
    for rgb in (False, True, False):
        short, ratio = int(rng.integers(30, 200)), float(rng.choice([2.5, 3.0, 3.5]))
        h, w = (short, int(short * ratio)) if layout == "wide" else (int(short * ratio), short)
        pixels, _ = shoes_photo(rng, h, w, rgb)
        color = "colour" if rgb else "grey"
        what = label(
            f"prepare_image(a {layout} {color} photo of {w}x{h} pixels)",
            f"prepare_image({w}x{h} 픽셀의 {LAYOUT_KO[layout]} {COLOR_KO[color]} 사진)",
        )
        image = _as_image(_prepare(student, pixels, what), what)
        error = float(np.mean(np.abs(image - reference(pixels))))
        if error > MAE_TOLERANCE:
            fail(
                f"{what} does not show the whole photo squashed to 28x28 (mean absolute difference {error:.3f}). "
                "Resize the whole image to (28, 28) without cropping, even if the aspect ratio changes.",
                f"{ko(what)}이(가) 사진 전체를 28x28로 줄인 결과와 다릅니다 (평균 절대 차이 {error:.3f}). "
                "비율이 바뀌더라도 자르지 말고 이미지 전체를 (28, 28)로 크기 변경하세요.",
                cause="values",
            )


@pytest.mark.parametrize("mode", ["L", "RGB"])
def test_pil_image_input(student, rng, mode):
    """Given a PIL image (grey "L" or "RGB") instead of an array, is the result the same kind of image?

    ko: 배열 대신 PIL 이미지(흑백 "L" 또는 "RGB")를 주어도 같은 이미지가 나오나요?
    """
    for size in _square_sizes(rng, 2):
        pixels, _ = garment_photo(rng, size, size, mode == "RGB")
        what = label(
            f"prepare_image(a PIL {mode} image of {size}x{size} pixels)",
            f"prepare_image({size}x{size} 픽셀의 PIL {mode} 이미지)",
        )
        image = _as_image(_prepare(student, pixels, what, pil_mode=mode), what)
        _check_like_reference(image, reference(pixels), what)


@pytest.mark.parametrize("given", ["array", "PIL"])
def test_strongly_coloured_photo(student, rng, given):
    """On a strongly coloured photo (a magenta garment on green), is the grey a weighted mix of all three channels?

    ko: 색이 강한 사진(초록 배경의 자홍색 옷)에서 흑백 값이 세 채널을 모두 섞은 값인가요?
    """
    for size in _square_sizes(rng, 2):
        pixels = coloured_photo(rng, size, size)
        kind = "an RGB array" if given == "array" else "a PIL RGB image"
        what = label(
            f"prepare_image({kind} of a strongly coloured photo, {size}x{size} pixels)",
            f"prepare_image(색이 강한 {size}x{size} 픽셀 사진의 {'RGB 배열' if given == 'array' else 'PIL RGB 이미지'})",
        )
        image = _as_image(_prepare(student, pixels, what, pil_mode=None if given == "array" else "RGB"), what)
        error = min(float(np.mean(np.abs(image - reference(pixels, matrix)))) for matrix in GREYS.values())
        if error <= MAE_TOLERANCE:
            continue
        channel = min(CHANNELS, key=lambda name: float(np.mean(np.abs(image - reference(pixels, CHANNELS[name])))))
        kept = float(np.mean(np.abs(image - reference(pixels, CHANNELS[channel])))) <= MAE_TOLERANCE
        if kept:
            fail(
                f"{what} looks like the {channel} channel alone, not grey (mean absolute difference {error:.3f} from the nearest "
                f"grey conversion, allowed {MAE_TOLERANCE}). Mix all three channels, e.g. 0.299 R + 0.587 G + 0.114 B, "
                'or use PIL\'s image.convert("L").',
                f"{ko(what)}이(가) 흑백이 아니라 {COLOUR_KO[channel]} 채널 하나만 쓴 것 같습니다 (가장 가까운 흑백 변환과의 평균 절대 차이 "
                f'{error:.3f}, 허용 {MAE_TOLERANCE}). 세 채널을 모두 섞으세요. 예: 0.299 R + 0.587 G + 0.114 B 또는 PIL의 image.convert("L").',
                cause="values",
            )
        _check_like_reference(image, reference(pixels), what)


@pytest.mark.parametrize("color", ["grey", "rgb"])
def test_pure_white_background_is_zero(student, rng, color):
    """Where a photo is pure white (255), far from the item, is the result 0 and never below 0?

    ko: 사진이 순백색(255)인 곳(옷에서 먼 곳)에서 결과가 0이고, 0보다 작지 않나요?
    """
    for size in [int(s) for s in rng.integers(84, 480, size=2)]:
        pixels = box_photo(rng, size, color == "rgb", BOX_SMALL)
        what = label(
            f"prepare_image(a {color} photo of {size}x{size} pixels: a small pure black box on pure white)",
            f"prepare_image(순백색 바탕에 작은 순검정 상자가 있는 {size}x{size} 픽셀의 {COLOR_KO[color]} 사진)",
        )
        background = _as_image(_prepare(student, pixels, what), what)[BACKGROUND_INSIDE]
        low, high = float(background.min()), float(background.max())
        if low < -ROUNDING:
            fail(
                f"{what} is {low:.6g} in the pure white background, far from the item: below 0, where the values must lie "
                "in [0, 1]. Pure white must become exactly 0: (255 − 255) / 255. Invert with 255 − x (not 254 − x).",
                f"{ko(what)}의 값이 옷에서 먼 순백색 배경에서 {low:.6g}로, 0보다 작습니다. 값은 [0, 1] 안에 있어야 합니다. "
                "순백색은 정확히 0이 되어야 합니다: (255 − 255) / 255. 255 − x로 반전하세요 (254 − x가 아니라).",
                cause="values",
            )
        if high > 1.5 / 255:
            fail(
                f"{what} is {high:.6g} in the pure white background, far from the item; it must be 0 there: (255 − 255) / 255. "
                "Invert with 255 − x so the light background becomes 0.",
                f"{ko(what)}의 값이 옷에서 먼 순백색 배경에서 {high:.6g}입니다. 그곳은 0이어야 합니다: (255 − 255) / 255. "
                "밝은 배경이 0이 되도록 255 − x로 반전하세요.",
                cause="values",
            )


@pytest.mark.parametrize("color", ["grey", "rgb"])
def test_pure_black_item_is_one(student, rng, color):
    """Where the item is pure black (0), far from its edges, is the result exactly 1 (neither below nor above)?

    ko: 옷이 순검정(0)인 곳(가장자리에서 먼 곳)에서 결과가 정확히 1인가요 (1보다 작지도 크지도 않게)?
    """
    for size in [int(s) for s in rng.integers(84, 480, size=2)]:
        pixels = box_photo(rng, size, color == "rgb", BOX_LARGE)
        what = label(
            f"prepare_image(a {color} photo of {size}x{size} pixels: a large pure black box on pure white)",
            f"prepare_image(순백색 바탕에 큰 순검정 상자가 있는 {size}x{size} 픽셀의 {COLOR_KO[color]} 사진)",
        )
        item = _as_image(_prepare(student, pixels, what), what)[ITEM_INSIDE]
        worst = float(item[np.argmax(np.abs(item - 1.0))])
        if abs(worst - 1.0) > ROUNDING:
            fail(
                f"{what} is {worst:.6g} inside the pure black item, far from its edges; it must be exactly 1 there: "
                "(255 − 0) / 255. Invert with 255 − x and divide by 255 (not 254 or 256).",
                f"{ko(what)}의 값이 가장자리에서 먼 순검정 옷 안에서 {worst:.6g}입니다. 그곳은 정확히 1이어야 합니다: (255 − 0) / 255. "
                "255 − x로 반전하고 255로 나누세요 (254나 256이 아니라).",
                cause="values",
            )
