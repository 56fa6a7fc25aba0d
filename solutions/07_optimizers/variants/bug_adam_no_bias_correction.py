# expect-fail: test_adam_matches_torch, test_adam_first_step_bias_correction, test_adam_hyperparameters, test_adam_small_betas, test_adam_late_steps, test_adam_lists
# overlay-on: reference


def adam_step(w, grad, m, v, t: int, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
              eps: float = 1e-8) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    grad = np.asarray(grad, dtype=float)
    m = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * grad
    v = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * grad ** 2
    m_hat = m
    v_hat = v
    w = np.asarray(w, dtype=float) - lr * m_hat / (np.sqrt(v_hat) + eps)
    return w, m, v
