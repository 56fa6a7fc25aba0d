# expect-fail:
# overlay-on: reference


def prepare_image(image) -> np.ndarray:
    pixels = np.asarray(image, dtype=np.float64)
    if pixels.ndim == 3:
        pixels = pixels[..., :3] @ np.array([0.2126, 0.7152, 0.0722])  # ITU-R BT.709 luma, as scikit-image's rgb2gray
    small = Image.fromarray(pixels.astype(np.float32), mode="F").resize((28, 28), Image.Resampling.LANCZOS)
    x = (255.0 - np.asarray(small, dtype=np.float64)) / 255.0
    return np.clip(x, 0.0, 1.0).reshape(1, 28, 28, 1).astype(np.float32)
