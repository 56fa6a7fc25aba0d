# expect-fail:
# overlay-on: reference


def prepare_image(image) -> np.ndarray:
    pixels = np.asarray(image).astype(np.float32)
    if pixels.ndim == 3:  # OpenCV's COLOR_RGB2GRAY weights, rounded to uint8 as cv2.cvtColor does
        pixels = np.round(pixels[..., 0] * 0.299 + pixels[..., 1] * 0.587 + pixels[..., 2] * 0.114)
    grey = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).resize((28, 28), Image.Resampling.BOX)
    return ((255 - np.asarray(grey, dtype=np.float32)) / 255).reshape(1, 28, 28, 1)
