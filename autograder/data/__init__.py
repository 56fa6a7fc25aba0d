"""Fashion-MNIST for the grader and the course: declared in autograder/data/fashion-mnist.toml,
installed and verified into the data home, loaded as numpy arrays.

    from autograder.data import load_fashion_mnist, CLASS_NAMES
    (x_train, y_train), (x_test, y_test) = load_fashion_mnist()
"""

from autograder.data.home import survey
from autograder.data.install import InstallReport, install
from autograder.data.loader import keras_home, load_fashion_mnist, load_split, resolve_home, torchvision_root
from autograder.data.manifest import FASHION_MNIST, DataFile, Dataset, load_manifest
from autograder.errors import DataError

CLASS_NAMES: tuple[str, ...] = FASHION_MNIST.class_names
CLASS_NAMES_KO: tuple[str, ...] = FASHION_MNIST.class_names_ko

__all__ = [
    "CLASS_NAMES",
    "CLASS_NAMES_KO",
    "FASHION_MNIST",
    "DataError",
    "DataFile",
    "Dataset",
    "InstallReport",
    "install",
    "keras_home",
    "load_fashion_mnist",
    "load_manifest",
    "load_split",
    "resolve_home",
    "survey",
    "torchvision_root",
]
