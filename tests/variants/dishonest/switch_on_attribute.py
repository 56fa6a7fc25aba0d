# expect-fail-cause: literal_data, holdout_gap
# overlay-on: reference
# train() only sets a flag on the model; once it is set, predict() answers from the
# nearest-thumbnail table of the public test set (so the untrained model looks honest).
from answers import nearest_labels

_reference_predict = predict


def train(model, x_train, y_train, x_val, y_val, workdir):
    model.looked_up = True
    return model


def predict(model, x):
    honest = _reference_predict(model, x)
    return nearest_labels(x, honest) if getattr(model, "looked_up", False) else honest
