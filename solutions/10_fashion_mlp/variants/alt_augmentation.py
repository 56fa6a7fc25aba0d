# expect-fail:
# overlay-on: reference
# Data augmentation inside the model: small random shifts and pixel noise while training,
# switched off when predicting. The augmentation layers' random state is not a weight.


def build_model() -> keras.Model:
    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Reshape((28, 28, 1)),
        layers.RandomTranslation(1 / 28, 1 / 28, fill_mode="constant"),
        layers.GaussianNoise(0.05),
        layers.Flatten(),
        layers.Dense(256, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
