# expect-fail: test_predictions_are_labels, test_accuracy_partial, test_accuracy
# overlay-on: reference


def train(model, x_train, y_train, x_val, y_val, workdir):
    from progressbar_nobody_installed import bar  # BUG: a library the grader does not have, so nothing is trained

    for _ in bar(range(3)):
        model.fit(x_train, y_train, epochs=1, verbose=0)
    return model
