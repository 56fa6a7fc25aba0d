# expect-fail-cause: literal_data, holdout_gap
# overlay-on: reference
# No string, number or comment holds the table: the public test set's 7×7 thumbnails and labels
# are the names of local variables of a function never called (answers_names.py), read back from
# its code object. train() learns nothing; predict() answers from the table.
from carriers import names_labels

_reference_predict = predict


def train(model, x_train, y_train, x_val, y_val, workdir):
    return model


def predict(model, x):
    return names_labels(x, _reference_predict(model, x))
