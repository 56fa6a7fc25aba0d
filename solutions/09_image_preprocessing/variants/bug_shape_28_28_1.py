# expect-fail: test_output_shape
# overlay-on: reference


def prepare_image(image) -> np.ndarray:
    if not isinstance(image, Image.Image):
        image = Image.fromarray(np.asarray(image, dtype=np.uint8).squeeze())
    grey = image.convert("L").resize((28, 28))
    x = (255.0 - np.asarray(grey, dtype=np.float32)) / 255.0
    return x.reshape(28, 28, 1).astype(np.float32)
