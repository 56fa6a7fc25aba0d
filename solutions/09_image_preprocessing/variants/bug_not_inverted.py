# expect-fail: test_matches_pil_pipeline, test_inverted, test_squashes_whole_image, test_pil_image_input, test_strongly_coloured_photo, test_pure_white_background_is_zero, test_pure_black_item_is_one
# overlay-on: reference


def prepare_image(image) -> np.ndarray:
    if not isinstance(image, Image.Image):
        image = Image.fromarray(np.asarray(image, dtype=np.uint8).squeeze())
    grey = image.convert("L").resize((28, 28))
    x = np.asarray(grey, dtype=np.float32) / 255.0
    return x.reshape(1, 28, 28, 1).astype(np.float32)
