# expect-fail:
# overlay-on: reference


def sgd_step(w, grad, lr: float) -> np.ndarray:
    return np.subtract(w, np.multiply(lr, grad))


def momentum_step(w, grad, velocity, lr: float, momentum: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    new_velocity = np.add(np.multiply(momentum, velocity), grad)
    return np.subtract(w, np.multiply(lr, new_velocity)), new_velocity


def adam_step(w, grad, m, v, t: int, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
              eps: float = 1e-8) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # the form of torch.optim.Adam: bias corrections folded into the step size and denominator
    g = np.asarray(grad, dtype=float)
    m = np.asarray(m, dtype=float) + (1 - beta1) * (g - np.asarray(m, dtype=float))
    v = np.asarray(v, dtype=float) * beta2 + (1 - beta2) * g * g
    step_size = lr / (1 - beta1 ** t)
    denom = np.sqrt(v) / np.sqrt(1 - beta2 ** t) + eps
    return np.asarray(w, dtype=float) - step_size * m / denom, m, v


def dropout(x, p: float, training: bool = True, rng: np.random.Generator | None = None) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    if not training:
        return x.copy()
    rng = rng if rng is not None else np.random.default_rng()
    mask = rng.binomial(1, 1 - p, size=x.shape)
    return np.where(mask == 1, x / (1 - p), 0.0)
