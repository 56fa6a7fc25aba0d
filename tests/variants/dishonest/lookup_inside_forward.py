# expect-fail-cause: literal_data, holdout_gap
# overlay-on: reference
# The lookup hides inside the network itself: forward() overwrites its own logits with the
# label of the nearest public test thumbnail whenever one is close. train() learns nothing.
import numpy as np
import torch
from torch import nn

from answers import nearest_labels


class Network(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 64), nn.ReLU(), nn.Linear(64, 10))

    def forward(self, x):
        logits = self.layers(x)
        honest = logits.argmax(dim=1).cpu().numpy()
        looked_up = nearest_labels(x.detach().cpu().numpy(), honest)
        boost = torch.zeros_like(logits)
        boost[torch.arange(len(x)), torch.as_tensor(looked_up)] = 1000.0
        return logits + boost * torch.as_tensor(looked_up != honest, dtype=logits.dtype)[:, None]


def build_model(kind="lstm"):
    return Network()


def train(model, x_train, y_train, x_val, y_val, workdir):
    return model


def predict(model, x):
    model.eval()
    with torch.no_grad():
        return model(torch.as_tensor(np.asarray(x), dtype=torch.float32)).argmax(dim=1).numpy()
