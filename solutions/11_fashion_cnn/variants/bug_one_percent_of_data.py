# expect-fail: test_accuracy, test_accuracy_partial, test_best_checkpoint
# overlay-on: reference


def train(model: keras.Model, x_train: np.ndarray, y_train: np.ndarray,
          x_val: np.ndarray, y_val: np.ndarray, workdir: str) -> keras.Model:
    x_train, y_train = x_train[: len(x_train) // 100], y_train[: len(y_train) // 100]  # BUG: 1 % of the data
    epochs = 8
    callbacks = [
        keras.callbacks.ModelCheckpoint(os.path.join(workdir, "best.keras"),
                                        monitor="val_accuracy", save_best_only=True),
        keras.callbacks.TensorBoard(log_dir=os.path.join(workdir, "logs")),
        keras.callbacks.LearningRateScheduler(lambda epoch: 1e-3 * 0.5 * (1 + np.cos(np.pi * epoch / epochs))),
    ]
    model.fit(x_train, y_train, validation_data=(x_val, y_val),
              epochs=epochs, batch_size=128, callbacks=callbacks, verbose=2)
    return model
