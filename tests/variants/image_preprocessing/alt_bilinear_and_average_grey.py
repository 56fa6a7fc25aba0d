# expect-fail:
# %% [markdown]
# # 09 Fashion-MNIST 모델을 위한 이미지 전처리 / Preparing a photo for a Fashion-MNIST model
#
# **한국어** — Fashion-MNIST로 학습한 모델은 28×28 흑백 이미지, 검은 배경 위의 밝은 옷,
# 0과 1 사이의 값, 그리고 (배치, 높이, 너비, 채널) = (1, 28, 28, 1) 모양의 입력만 이해합니다.
# 휴대폰으로 찍은 사진(밝은 배경 위의 어두운 옷, 컬러, 아무 크기)을 그대로 넣으면 엉뚱한 답이
# 나옵니다. 사진을 Fashion-MNIST 샘플처럼 바꾸는 `prepare_image`를 작성하세요.
#
# 1. 흑백으로 바꾸기 (PIL의 `convert("L")`)
# 2. 28×28로 크기 바꾸기: 잘라내지 말고 이미지 전체를 28×28로 줄입니다 (비율이 바뀌어도 됩니다)
# 3. 반전: 255 − x (밝은 배경 → 0, 어두운 옷 → 밝게)
# 4. 255로 나누어 [0, 1] 범위의 float32로
# 5. 배치 축과 채널 축을 붙여 (1, 28, 28, 1) 모양으로
#
# 2일차 "코드 고치기" 실습에서 (28, 28, 1) 배열로 예측하다 오류가 났던 것을 기억하나요?
# 모델은 언제나 배치 축을 기대합니다.
#
# **English** — A model trained on Fashion-MNIST understands only 28×28 grey images of a
# light garment on a black background, values between 0 and 1, shaped (batch, height,
# width, channels) = (1, 28, 28, 1). A phone photo (dark garment on a light background,
# colour, any size) fed as it is gets nonsense answers. Write `prepare_image`, which turns
# the photo into something that looks like a Fashion-MNIST sample:
#
# 1. convert to grey (PIL's `convert("L")`)
# 2. resize to 28×28: squash the whole image, do not crop (the aspect ratio may change)
# 3. invert: 255 − x (light background → 0, dark garment → bright)
# 4. divide by 255: float32 in [0, 1]
# 5. add the batch and channel axes: shape (1, 28, 28, 1)
#
# Remember the day-2 "fix this code" exercise that failed when predicting on a (28, 28, 1)
# array? A model always expects the batch axis.

# %%
import numpy as np
from PIL import Image

# %%
def prepare_image(image) -> np.ndarray:
    """Turn a photo of one clothing item into a Fashion-MNIST-like model input.

    Pipeline: grey -> resize the whole image to 28x28 -> x' = (255 - x) / 255 -> add axes.

    Args:
        image: a PIL image or a uint8 array, grey (H, W) or RGB (H, W, 3), any size,
            showing a dark item on a light background.

    Returns:
        float32 array of shape (1, 28, 28, 1) with values in [0, 1]: the background near 0,
        the item bright.

    Example:
        >>> white = np.full((300, 200), 255, dtype=np.uint8)   # an empty white photo
        >>> x = prepare_image(white)
        >>> x.shape, x.dtype, float(x.max())
        ((1, 28, 28, 1), dtype('float32'), 0.0)

    한국어: 옷 사진 한 장을 Fashion-MNIST 샘플과 같은 모델 입력으로 바꿉니다.
    흑백 변환 → 이미지 전체를 28×28로 크기 변경(자르지 않음) → (255 − x) / 255 → 축 추가.
    image는 PIL 이미지 또는 uint8 배열(흑백 (H, W) 또는 RGB (H, W, 3), 크기 무관)이고,
    결과는 [0, 1] 범위의 float32 배열 (1, 28, 28, 1)입니다 (배경은 0에 가깝고 옷은 밝음).
    """
    ### BEGIN SOLUTION
    pixels = np.asarray(image, dtype=np.float32)
    if pixels.ndim == 3:
        pixels = pixels[..., :3].mean(axis=-1)  # plain average of the colour channels
    grey = Image.fromarray(pixels, mode="F").resize((28, 28), Image.Resampling.BILINEAR)
    x = 1.0 - np.asarray(grey, dtype=np.float32) / 255.0
    return np.clip(x, 0.0, 1.0)[np.newaxis, :, :, np.newaxis].astype(np.float32)
    ### END SOLUTION


# %% [markdown]
# ## 확인해 보기 / Try it
#
# **한국어** — 밝은 배경에 어두운 사각형이 있는 가짜 "사진"을 만들어 결과를 봅니다. 가운데(옷)가
# 밝고 가장자리(배경)가 0에 가까워야 합니다.
#
# **English** — Make a fake "photo" with a dark rectangle on a light background and look
# at the result: the middle (the item) should be bright, the border (background) near 0.

# %%
if __name__ == "__main__":
    photo = np.full((120, 90, 3), 230, dtype=np.uint8)
    photo[30:90, 25:65] = (40, 30, 60)
    x = prepare_image(photo)
    print(x.shape, x.dtype, x.min(), x.max())
    print(np.round(x[0, ::4, ::4, 0], 1))
