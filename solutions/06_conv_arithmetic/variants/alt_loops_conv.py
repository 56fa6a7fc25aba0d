# expect-fail:
# overlay-on: reference


def conv2d(image, kernel, stride: int = 1, padding: int = 0) -> np.ndarray:
    rows = [list(map(float, r)) for r in image]
    k = [list(map(float, r)) for r in kernel]
    h, w, kh, kw = len(rows), len(rows[0]), len(k), len(k[0])
    padded = [[0.0] * (w + 2 * padding) for _ in range(h + 2 * padding)]
    for r in range(h):
        for c in range(w):
            padded[r + padding][c + padding] = rows[r][c]
    out_h = conv_output_size(h, kh, padding, stride)
    out_w = conv_output_size(w, kw, padding, stride)
    out = np.zeros((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            total = 0.0
            for a in range(kh):
                for b in range(kw):
                    total += padded[i * stride + a][j * stride + b] * k[a][b]
            out[i, j] = total
    return out
