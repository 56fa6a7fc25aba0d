# expect-fail:
# overlay-on: reference


def prepare_image(image) -> np.ndarray:
    pixels = np.asarray(image)
    if pixels.ndim == 3:  # ITU-R BT.709 luma in float64, cut to uint8: pure white (254.99999999999997) becomes 254
        pixels = (pixels[..., :3] @ np.array([0.2126, 0.7152, 0.0722])).astype(np.uint8)
    grey = Image.fromarray(pixels.astype(np.uint8)).resize((28, 28), Image.Resampling.BICUBIC)
    return ((255.0 - np.asarray(grey, dtype=np.float32)) / 255.0).reshape(1, 28, 28, 1).astype(np.float32)
