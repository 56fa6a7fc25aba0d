"""Public sanity checks for xor_mlp.py: run `python -m pytest test_xor_mlp.py` beside your file.

공개 확인 테스트입니다. xor_mlp.py와 같은 폴더에서 `python -m pytest test_xor_mlp.py`로 실행하세요.
The grader trains from its own seed; here a few fixed seeds stand in for it.
"""
import pytest
import torch

from xor_mlp import X_XOR, Y_XOR, build_model, train


def test_build_model_gives_probabilities():
    """Does the untrained model map a (4, 2) tensor to (4, 1) values in [0, 1]?"""
    torch.manual_seed(0)
    model = build_model()
    assert isinstance(model, torch.nn.Module)
    with torch.no_grad():
        p = model(X_XOR)
    assert p.shape == (4, 1)
    assert float(p.min()) >= 0.0 and float(p.max()) <= 1.0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_train_solves_xor(seed):
    """From a few seeds, are all four points classified correctly with a BCE below 0.1?"""
    torch.manual_seed(seed)
    model = train(build_model(), X_XOR.clone(), Y_XOR.clone())
    with torch.no_grad():
        p = model(X_XOR)
    assert torch.equal((p > 0.5).float(), Y_XOR)
    assert torch.nn.functional.binary_cross_entropy(p, Y_XOR).item() < 0.1
