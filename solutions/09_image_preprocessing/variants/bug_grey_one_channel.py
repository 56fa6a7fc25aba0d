# expect-fail: test_strongly_coloured_photo
# overlay-on: reference


def prepare_image(image) -> np.ndarray:
    pixels = np.asarray(image, dtype=np.uint8)
    if pixels.ndim == 3:
        pixels = pixels[..., 0]  # the red channel taken for grey
    grey = Image.fromarray(pixels).resize((28, 28))
    x = (255.0 - np.asarray(grey, dtype=np.float32)) / 255.0
    return x.reshape(1, 28, 28, 1).astype(np.float32)
