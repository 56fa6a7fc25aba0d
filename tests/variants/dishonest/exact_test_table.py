# expect-fail-cause: literal_data, not_learned
# overlay-on: reference
# train() learns nothing; predict() looks every image up by the hash of its bytes in a table
# of the public test set (answers_data.py), and asks the untrained model about the rest.
from answers import exact_labels

_reference_predict = predict


def train(model, x_train, y_train, x_val, y_val, workdir):
    return model


def predict(model, x):
    return exact_labels(x, _reference_predict(model, x))
