# expect-fail: test_predictions_are_labels, test_untrained_model_near_chance, test_model_is_mlp, test_accuracy_partial, test_accuracy
# overlay-on: reference


def predict(model: keras.Model, x: np.ndarray) -> np.ndarray:
    scores = model.predict(x, batch_size=1024, verbose=0)
    return scores  # BUG: (N, 10) scores instead of (N,) labels
