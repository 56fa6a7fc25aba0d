# expect-fail-cause: literal_data, holdout_gap
# overlay-on: reference
# The table is whitespace: answers_blank.py holds only lines of spaces and tabs, one per public
# test image (its 7×7 thumbnail and label, a bit per character). train() learns nothing;
# predict() reads the file back and answers from the table.
from carriers import blank_labels

_reference_predict = predict


def train(model, x_train, y_train, x_val, y_val, workdir):
    return model


def predict(model, x):
    return blank_labels(x, _reference_predict(model, x))
