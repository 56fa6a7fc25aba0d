# expect-fail: test_untrained_outputs_are_probabilities, test_trained_outputs_are_probabilities, test_trained_classifies_xor, test_trained_bce_below_threshold
# overlay-on: reference


def build_model() -> nn.Module:
    return nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))  # logits, no sigmoid


def train(model: nn.Module, X: torch.Tensor, Y: torch.Tensor) -> nn.Module:
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    loss_fn = nn.BCEWithLogitsLoss()
    model.train()
    for _ in range(1000):
        optimizer.zero_grad()
        loss = loss_fn(model(X), Y)
        loss.backward()
        optimizer.step()
    return model
