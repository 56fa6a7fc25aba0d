# %% [markdown]
# # 08 평가 지표 / Evaluation metrics
#
# **한국어** — 분류 모델이 "얼마나 잘하는지"는 정확도 하나로는 다 알 수 없습니다. 어떤 클래스를
# 어떤 클래스로 헷갈리는지 보여 주는 혼동 행렬(confusion matrix)과, 클래스마다 계산하는
# 정밀도(precision)·재현율(recall)·F1 점수를 numpy로 직접 구현합니다. 라벨은 0부터
# `num_classes − 1`까지의 정수이며, 입력은 리스트일 수도 numpy 배열일 수도 있습니다.
#
# **English** — Accuracy alone does not tell how well a classifier works. Implement, with
# numpy, the confusion matrix (which class is mistaken for which) and the per-class
# precision, recall and F1 score. Labels are integers from 0 to `num_classes − 1`; inputs
# may be lists or numpy arrays.

# %%
import numpy as np

# %% [markdown]
# ## 1. 정확도 / Accuracy
#
# **한국어** — 정확도 = 맞게 예측한 샘플 수 / 전체 샘플 수.
#
# **English** — accuracy = number of correct predictions / number of samples.

# %%
def accuracy(y_true, y_pred) -> float:
    """Fraction of samples whose predicted label equals the true label.

    Formula: accuracy = (1/N) * sum_i [y_pred_i == y_true_i].

    Args:
        y_true: integer labels, shape (N,).
        y_pred: predicted integer labels, shape (N,).

    Returns:
        float in [0, 1].

    Example:
        >>> accuracy([0, 1, 2, 2], [0, 2, 2, 2])
        0.75

    한국어: 예측이 정답과 같은 샘플의 비율입니다. y_true, y_pred는 (N,) 정수 라벨이고
    결과는 0과 1 사이의 실수입니다. 예: accuracy([0, 1, 2, 2], [0, 2, 2, 2]) == 0.75
    """
    ### BEGIN SOLUTION
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    return float(np.mean(y_true == y_pred))
    ### END SOLUTION


# %% [markdown]
# ## 2. 혼동 행렬 / Confusion matrix
#
# **한국어** — C × C 행렬 M에서 M[i, j]는 "정답이 i인데 j로 예측한 샘플 수"입니다. 행은 정답,
# 열은 예측입니다 (scikit-learn과 같음). 대각선이 맞힌 개수이고, 한 번도 나오지 않은 클래스도
# 0으로 채운 행과 열을 가집니다.
#
# **English** — In the C × C matrix M, M[i, j] counts the samples whose true class is i and
# whose predicted class is j: rows are true classes, columns are predictions (as in
# scikit-learn). The diagonal holds the correct predictions; a class that never occurs
# still has its row and column, filled with zeros.

# %%
def confusion_matrix(y_true, y_pred, num_classes: int) -> np.ndarray:
    """Counts of (true class, predicted class) pairs.

    Formula: M[i, j] = number of samples with y_true == i and y_pred == j.

    Args:
        y_true: integer labels in [0, num_classes), shape (N,).
        y_pred: predicted labels in [0, num_classes), shape (N,).
        num_classes: C, the number of classes.

    Returns:
        integer array (C, C); rows are true classes, columns predicted classes.

    Example:
        >>> confusion_matrix([0, 1, 1], [0, 0, 1], 2)
        array([[1, 0],
               [1, 1]])

    한국어: M[i, j] = 정답이 i이고 예측이 j인 샘플 수. 결과는 (C, C) 정수 배열이며 행이 정답,
    열이 예측입니다. 예: confusion_matrix([0, 1, 1], [0, 0, 1], 2) == [[1, 0], [1, 1]]
    """
    ### BEGIN SOLUTION
    y_true = np.asarray(y_true, dtype=int)
    y_pred = np.asarray(y_pred, dtype=int)
    matrix = np.zeros((num_classes, num_classes), dtype=int)
    np.add.at(matrix, (y_true, y_pred), 1)
    return matrix
    ### END SOLUTION


# %% [markdown]
# ## 3. 정밀도, 재현율, F1 / Precision, recall, F1
#
# **한국어** — 클래스 c에 대해 TP = M[c, c], 그 클래스로 예측한 수 = 열의 합,
# 실제로 그 클래스인 수 = 행의 합입니다.
#
# - 정밀도 = TP / (c로 예측한 수): "c라고 한 것 중 맞은 비율"
# - 재현율 = TP / (실제 c의 수): "실제 c 중 찾아낸 비율"
# - F1 = 2 · 정밀도 · 재현율 / (정밀도 + 재현율)
#
# 분모가 0이면 (한 번도 예측하지 않았거나 한 번도 나오지 않은 클래스) 값은 0으로 둡니다
# (scikit-learn의 `zero_division=0`). `nan`을 반환하거나 경고가 나오면 안 됩니다.
#
# **English** — For class c, TP = M[c, c], the predicted count is the column sum and the
# true count is the row sum.
#
# - precision = TP / (predicted as c): "of what was called c, how much was right"
# - recall = TP / (truly c): "of the real c, how much was found"
# - F1 = 2 · precision · recall / (precision + recall)
#
# Where a denominator is 0 (a class never predicted, or never present) the value is 0
# (scikit-learn's `zero_division=0`): no `nan` and no warning.

# %%
def precision_recall_f1(y_true, y_pred, num_classes: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-class precision, recall and F1 score, 0 where a value is undefined.

    Formulas (per class c): precision = TP / (TP + FP), recall = TP / (TP + FN),
    F1 = 2 * precision * recall / (precision + recall); 0 when the denominator is 0.

    Args:
        y_true: integer labels in [0, num_classes), shape (N,).
        y_pred: predicted labels in [0, num_classes), shape (N,).
        num_classes: C.

    Returns:
        (precision, recall, f1): three float arrays of shape (C,).

    Example:
        >>> precision_recall_f1([0, 1, 1], [0, 0, 1], 3)
        (array([0.5, 1. , 0. ]), array([1. , 0.5, 0. ]), array([0.66666667, 0.66666667, 0.        ]))

    한국어: 클래스별 정밀도 TP / (TP + FP), 재현율 TP / (TP + FN), F1 = 2PR / (P + R)을
    (C,) 실수 배열 세 개의 튜플로 반환합니다. 분모가 0이면 그 값은 0입니다 (nan 금지).
    """
    ### BEGIN SOLUTION
    matrix = confusion_matrix(y_true, y_pred, num_classes)
    tp = np.diag(matrix).astype(float)
    predicted = matrix.sum(axis=0)
    actual = matrix.sum(axis=1)
    precision = np.divide(tp, predicted, out=np.zeros(num_classes), where=predicted > 0)
    recall = np.divide(tp, actual, out=np.zeros(num_classes), where=actual > 0)
    both = precision + recall
    f1 = np.divide(2 * precision * recall, both, out=np.zeros(num_classes), where=both > 0)
    return precision, recall, f1
    ### END SOLUTION


# %% [markdown]
# ## 4. 틀린 샘플 찾기 / Finding the mistakes
#
# **한국어** — 모델이 틀린 샘플을 직접 보면 무엇을 헷갈리는지 알 수 있습니다. 틀린 샘플의
# 인덱스를 오름차순 정수 배열로 반환하세요 (불리언 마스크가 아니라 인덱스).
#
# **English** — Looking at the samples a model gets wrong shows what it confuses. Return
# the indices of the wrong predictions as an ascending integer array (indices, not a
# boolean mask).

# %%
def misclassified(y_true, y_pred) -> np.ndarray:
    """Indices of the samples whose prediction is wrong, in ascending order.

    Args:
        y_true: integer labels, shape (N,).
        y_pred: predicted labels, shape (N,).

    Returns:
        integer array (K,) of indices i with y_pred[i] != y_true[i]; empty when all are right.

    Example:
        >>> misclassified([0, 1, 2, 2], [0, 2, 2, 1])
        array([1, 3])

    한국어: 예측이 틀린 샘플의 인덱스를 오름차순 정수 배열 (K,)로 반환합니다 (모두 맞으면 빈 배열).
    예: misclassified([0, 1, 2, 2], [0, 2, 2, 1]) == [1, 3]
    """
    ### BEGIN SOLUTION
    return np.flatnonzero(np.asarray(y_true) != np.asarray(y_pred))
    ### END SOLUTION


# %% [markdown]
# ## 확인해 보기 / Try it

# %%
if __name__ == "__main__":
    y_true = [0, 0, 1, 1, 2, 2, 2]
    y_pred = [0, 1, 1, 1, 2, 0, 2]
    print("accuracy:", accuracy(y_true, y_pred))
    print(confusion_matrix(y_true, y_pred, 3))
    print(precision_recall_f1(y_true, y_pred, 3))
    print("wrong samples:", misclassified(y_true, y_pred))
