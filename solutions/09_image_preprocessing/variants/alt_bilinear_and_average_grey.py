# expect-fail:
# overlay-on: reference


def prepare_image(image) -> np.ndarray:
    pixels = np.asarray(image, dtype=np.float32)
    if pixels.ndim == 3:
        pixels = pixels[..., :3].mean(axis=-1)  # plain average of the colour channels
    grey = Image.fromarray(pixels, mode="F").resize((28, 28), Image.Resampling.BILINEAR)
    x = 1.0 - np.asarray(grey, dtype=np.float32) / 255.0
    return np.clip(x, 0.0, 1.0)[np.newaxis, :, :, np.newaxis].astype(np.float32)
