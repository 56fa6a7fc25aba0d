# expect-fail-cause: literal_data, holdout_gap
# overlay-on: reference
# train() learns nothing; predict() matches each image to the nearest 7×7 thumbnail of a
# public test image (which survives a little noise) and asks the untrained model otherwise.
from answers import nearest_labels

_reference_predict = predict


def train(model, x_train, y_train, x_val, y_val, workdir):
    return model


def predict(model, x):
    return nearest_labels(x, _reference_predict(model, x))
