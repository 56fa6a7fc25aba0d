# expect-fail: test_values_in_0_1, test_matches_pil_pipeline, test_squashes_whole_image, test_pil_image_input, test_strongly_coloured_photo, test_pure_black_item_is_one
# overlay-on: reference


def prepare_image(image) -> np.ndarray:
    if not isinstance(image, Image.Image):
        image = Image.fromarray(np.asarray(image, dtype=np.uint8).squeeze())
    grey = image.convert("L").resize((28, 28))
    x = 255.0 - np.asarray(grey, dtype=np.float32)
    return x.reshape(1, 28, 28, 1).astype(np.float32)
