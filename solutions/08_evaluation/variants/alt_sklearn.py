# expect-fail:
# overlay-on: reference


from sklearn import metrics as sk_metrics


def accuracy(y_true, y_pred) -> float:
    return sk_metrics.accuracy_score(y_true, y_pred)


def confusion_matrix(y_true, y_pred, num_classes: int) -> np.ndarray:
    return sk_metrics.confusion_matrix(y_true, y_pred, labels=list(range(num_classes)))


def precision_recall_f1(y_true, y_pred, num_classes: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    precision, recall, f1, _ = sk_metrics.precision_recall_fscore_support(
        y_true, y_pred, labels=list(range(num_classes)), zero_division=0)
    return precision, recall, f1


def misclassified(y_true, y_pred) -> np.ndarray:
    return [i for i, (t, p) in enumerate(zip(y_true, y_pred)) if t != p]
