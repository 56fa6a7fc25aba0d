# expect-fail: test_lstm_step_matches_lstmcell, test_lstm_step_large_inputs, test_lstm_step_unrolled_matches_lstm, test_lstm_step_input_types
# overlay-on: reference


def lstm_step(x: np.ndarray, h: np.ndarray, c: np.ndarray, Wx: np.ndarray, Wh: np.ndarray,
              b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x, h, c = (np.asarray(a, dtype=np.float64) for a in (x, h, c))
    z = x @ np.asarray(Wx, dtype=np.float64) + h @ np.asarray(Wh, dtype=np.float64) + np.asarray(b, dtype=np.float64)
    H = h.shape[1]

    def sigmoid(v):
        e = np.exp(-np.abs(v))  # never overflows
        return np.where(v >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

    i, f, o, g = sigmoid(z[:, :H]), sigmoid(z[:, H:2 * H]), sigmoid(z[:, 2 * H:3 * H]), np.tanh(z[:, 3 * H:])  # BUG: i, f, o, g
    c_new = f * c + i * g
    return o * np.tanh(c_new), c_new
