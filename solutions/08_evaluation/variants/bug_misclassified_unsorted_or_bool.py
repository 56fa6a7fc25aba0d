# expect-fail: test_misclassified_indices, test_misclassified_none_wrong, test_misclassified_no_samples
# overlay-on: reference


def misclassified(y_true, y_pred) -> np.ndarray:
    return np.asarray(y_true) != np.asarray(y_pred)
