# expect-fail: 
# overlay-on: reference


import torch


import torch.nn.functional as F


def _tensor(values) -> torch.Tensor:
    return torch.as_tensor(np.asarray(values, dtype=np.float64))


def mse(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    return np.float64(F.mse_loss(_tensor(y_pred), _tensor(y_true)).item())


def mae(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    return np.float64(F.l1_loss(_tensor(y_pred), _tensor(y_true)).item())


def rmse(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    return np.float64(torch.sqrt(F.mse_loss(_tensor(y_pred), _tensor(y_true))).item())


def binary_cross_entropy(y_true: ArrayLike, p: ArrayLike, eps: float = 1e-7) -> float:
    probabilities = _tensor(p).clamp(eps, 1.0 - eps)
    return np.float64(F.binary_cross_entropy(probabilities, _tensor(y_true)).item())


def categorical_cross_entropy(y_onehot: ArrayLike, p: ArrayLike, eps: float = 1e-7) -> float:
    log_p = torch.log(_tensor(p).clamp(eps, 1.0 - eps))
    return np.float64(-(_tensor(y_onehot) * log_p).sum(dim=-1).mean().item())


def sparse_categorical_cross_entropy(y_int: ArrayLike, p: ArrayLike, eps: float = 1e-7) -> float:
    log_p = torch.log(_tensor(p).clamp(eps, 1.0 - eps))
    return np.float64(F.nll_loss(log_p, torch.as_tensor(np.asarray(y_int, dtype=np.int64))).item())
