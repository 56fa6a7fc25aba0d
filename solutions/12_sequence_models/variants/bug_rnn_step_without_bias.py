# expect-fail: test_rnn_step_values, test_rnn_step_input_types
# overlay-on: reference


def rnn_step(x: np.ndarray, h: np.ndarray, Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray) -> np.ndarray:
    x, h = np.asarray(x, dtype=np.float64), np.asarray(h, dtype=np.float64)
    return np.tanh(x @ np.asarray(Wx, dtype=np.float64) + h @ np.asarray(Wh, dtype=np.float64))  # BUG: b forgotten
