# expect-fail: test_squashes_whole_image
# overlay-on: reference


def prepare_image(image) -> np.ndarray:
    if not isinstance(image, Image.Image):
        image = Image.fromarray(np.asarray(image, dtype=np.uint8).squeeze())
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    grey = image.convert("L").crop((left, top, left + side, top + side)).resize((28, 28))
    x = (255.0 - np.asarray(grey, dtype=np.float32)) / 255.0
    return x.reshape(1, 28, 28, 1).astype(np.float32)
