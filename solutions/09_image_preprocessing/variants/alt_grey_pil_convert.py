# expect-fail:
# overlay-on: reference


def prepare_image(image) -> np.ndarray:
    if not isinstance(image, Image.Image):
        image = Image.fromarray(np.asarray(image, dtype=np.uint8))
    grey = image.convert("RGB").convert("L")  # every input through RGB, then PIL's own grey (ITU-R 601)
    small = grey.resize((28, 28), Image.Resampling.NEAREST)
    return (1.0 - np.asarray(small, dtype=np.float32)[None, :, :, None] / 255.0).astype(np.float32)
