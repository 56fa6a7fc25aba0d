"""Public sanity checks for optim.py: run `python -m pytest test_optim.py` beside your file.

공개 확인 테스트입니다. optim.py와 같은 폴더에서 `python -m pytest test_optim.py`로 실행하세요.
The hidden grader checks much more (many steps against torch.optim, dropout statistics).
"""
import numpy as np

from optim import adam_step, dropout, momentum_step, sgd_step


def test_sgd_step_example():
    """Does w - lr * grad give [0.95, 2.1]?"""
    assert np.allclose(sgd_step([1.0, 2.0], [0.5, -1.0], 0.1), [0.95, 2.1])


def test_momentum_step_example():
    """With v = 1, g = 2, mu = 0.9: is v_new = 2.9 and w_new = 1 - 0.1 * 2.9 = 0.71?"""
    w, v = momentum_step([1.0], [2.0], [1.0], lr=0.1)
    assert np.allclose(v, [2.9]) and np.allclose(w, [0.71])


def test_adam_first_step_is_lr():
    """Thanks to bias correction, does Adam's first step (t=1) move w by almost exactly lr?"""
    w, m, v = adam_step([1.0], [0.5], [0.0], [0.0], t=1, lr=0.1)
    assert np.allclose(w, [0.9]) and np.allclose(m, [0.05]) and np.allclose(v, [0.00025])


def test_dropout_values():
    """With p = 0.5, is every output either 0 or 1 / (1 - 0.5) = 2 for an input of ones?"""
    out = dropout(np.ones(100), 0.5, rng=np.random.default_rng(0))
    assert set(np.unique(out).tolist()) <= {0.0, 2.0}


def test_dropout_not_training():
    """Is the input returned unchanged when training=False?"""
    x = np.arange(6.0).reshape(2, 3)
    assert np.array_equal(dropout(x, 0.5, training=False), x)
