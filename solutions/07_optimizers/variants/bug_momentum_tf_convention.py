# expect-fail: test_momentum_velocity_matches_torch, test_momentum_changing_lr, test_momentum_initial_velocity, test_momentum_lists_and_scalars
# overlay-on: reference


def momentum_step(w, grad, velocity, lr: float, momentum: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    velocity = momentum * np.asarray(velocity, dtype=float) - lr * np.asarray(grad, dtype=float)
    return np.asarray(w, dtype=float) + velocity, velocity
