# expect-fail: test_precision_recall_f1_zero_division
# overlay-on: reference


def precision_recall_f1(y_true, y_pred, num_classes: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    matrix = confusion_matrix(y_true, y_pred, num_classes)
    tp = np.diag(matrix).astype(float)
    predicted = matrix.sum(axis=0)
    actual = matrix.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = tp / predicted
        recall = tp / actual
        f1 = 2 * precision * recall / (precision + recall)
    return precision, recall, f1
