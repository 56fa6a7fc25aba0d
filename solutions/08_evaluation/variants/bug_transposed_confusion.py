# expect-fail: test_confusion_matrix_matches_sklearn, test_confusion_matrix_rows_are_true_classes, test_confusion_matrix_absent_classes, test_precision_values, test_recall_values, test_precision_recall_f1_zero_division, test_precision_class_predicted_once, test_recall_class_present_once
# overlay-on: reference


def confusion_matrix(y_true, y_pred, num_classes: int) -> np.ndarray:
    y_true = np.asarray(y_true, dtype=int)
    y_pred = np.asarray(y_pred, dtype=int)
    matrix = np.zeros((num_classes, num_classes), dtype=int)
    np.add.at(matrix, (y_true, y_pred), 1)
    return matrix.T
