# expect-fail: test_trained_classifies_xor, test_trained_bce_below_threshold
# overlay-on: reference


def train(model: nn.Module, X: torch.Tensor, Y: torch.Tensor) -> nn.Module:
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    loss_fn = nn.BCELoss()
    model.train()
    return model  # returned before the training loop ever runs
    for _ in range(1000):
        optimizer.zero_grad()
        loss = loss_fn(model(X), Y)
        loss.backward()
        optimizer.step()
