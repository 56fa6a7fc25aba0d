# expect-fail: test_accuracy, test_accuracy_partial
# overlay-on: reference


def train(model: keras.Model, x_train: np.ndarray, y_train: np.ndarray,
          x_val: np.ndarray, y_val: np.ndarray, workdir: str) -> keras.Model:
    x_train, y_train = x_train[: len(x_train) // 100], y_train[: len(y_train) // 100]  # BUG: 1 % of the data
    epochs = 15
    # cosine decay: full learning rate first, smaller steps at the end
    schedule = keras.callbacks.LearningRateScheduler(lambda epoch: 1e-3 * 0.5 * (1 + np.cos(np.pi * epoch / epochs)))
    model.fit(x_train, y_train, validation_data=(x_val, y_val),
              epochs=epochs, batch_size=128, callbacks=[schedule], verbose=2)
    return model
