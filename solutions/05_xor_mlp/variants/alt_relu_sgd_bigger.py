# expect-fail:
# overlay-on: reference


def build_model() -> nn.Module:
    class XorNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.hidden = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU())
            self.out = nn.Linear(16, 1)

        def forward(self, x):
            return torch.sigmoid(self.out(self.hidden(x)))

    return XorNet()


def train(model: nn.Module, X: torch.Tensor, Y: torch.Tensor) -> nn.Module:
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for _ in range(2000):
        p = model(X).clamp(1e-7, 1 - 1e-7)
        loss = -(Y * torch.log(p) + (1 - Y) * torch.log(1 - p)).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model
