"""grading.toml validation: every mistake is one ConfigError sentence naming the key and its line."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from autograder.assignments import Assignment
from autograder.config import DATA_HOME_ENV, GradingConfig, Limits, load_config
from autograder.errors import ConfigError
from autograder.paths import REPO_ROOT

# A small but complete configuration; each test breaks one line of it. Line numbers below
# refer to this text, so keep its layout when editing.
GOOD = textwrap.dedent("""\
    [course]
    name = "Test course"
    language = "en"
    data_home = "data"

    [limits]
    wall_time = 60
    call_time = 5

    [assignments.activations]
    number = 1
    title = "Activation functions"
    file = "activations.py"
    points = 10

    [assignments.fashion_mlp]
    number = 10
    title = "Fashion-MNIST with an MLP"
    file = "fashion_mlp.py"
    points = 20
    kind = "model"
    [assignments.fashion_mlp.limits]
    call_time = 900
    [assignments.fashion_mlp.thresholds]
    accuracy = 0.85
    [assignments.fashion_mlp.weights]
    test_accuracy = 3
    """)


def write(tmp_path: Path, old: str | None = None, new: str = "", text: str = GOOD) -> Path:
    if old is not None:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "grading.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert "\n" not in message and message.endswith("."), message
    assert "Traceback" not in message and "pydantic" not in message.lower()
    return message


def test_good_config_loads(tmp_path: Path, monkeypatch):
    """Does a valid file load, with defaults filled in and per-assignment limits merged over the global ones?"""
    monkeypatch.delenv(DATA_HOME_ENV, raising=False)
    config = load_config(write(tmp_path))
    assert isinstance(config, GradingConfig)
    assert isinstance(config.assignment("activations"), Assignment)
    assert config.limits_for("fashion_mlp") == Limits(wall_time=60, call_time=900)
    assert config.assignment("fashion_mlp").thresholds == {"accuracy": 0.85}
    assert config.data_home == (tmp_path / "data").resolve()


def test_the_repository_grading_toml_loads(monkeypatch):
    """Does the course's own grading.toml load, with all twelve assignments numbered 1 to 12?"""
    monkeypatch.delenv("AUTOGRADER_CONFIG", raising=False)
    config = load_config(REPO_ROOT / "grading.toml")
    assert sorted(a.number for a in config.assignments.values()) == list(range(1, 13))
    assert config.course.language in ("ko", "en")


def test_data_home_env_overrides_the_file(tmp_path: Path, monkeypatch):
    """Does $AUTOGRADER_DATA_HOME win over course.data_home?"""
    monkeypatch.setenv(DATA_HOME_ENV, str(tmp_path / "elsewhere"))
    assert load_config(write(tmp_path)).data_home == (tmp_path / "elsewhere").resolve()


def test_unknown_key(tmp_path: Path):
    """Is a misspelt key named with its line and the keys allowed in its table?"""
    message = error_of(write(tmp_path, "call_time = 5", "call_tme = 5"))
    assert message.startswith("grading.toml, line 8: unknown key 'limits.call_tme'")
    assert "call_time" in message and "wall_time" in message


def test_unknown_key_in_an_assignment(tmp_path: Path):
    """Is an unknown key inside an assignment named with its full path and line?"""
    message = error_of(write(tmp_path, "points = 10\n", "points = 10\ntimeout = 3\n"))
    assert message.startswith("grading.toml, line 15: unknown key 'assignments.activations.timeout'")
    assert "points" in message and "thresholds" in message


def test_wrong_type(tmp_path: Path):
    """Is a string where a number belongs named with its key, line and value?"""
    message = error_of(write(tmp_path, "points = 10", 'points = "ten"'))
    assert message.startswith('grading.toml, line 14: assignments.activations.points = "ten" is invalid')
    assert "valid number" in message


def test_negative_limit(tmp_path: Path):
    """Is a negative global limit refused with its key and line?"""
    message = error_of(write(tmp_path, "wall_time = 60", "wall_time = -60"))
    assert message == "grading.toml, line 7: limits.wall_time = -60 is invalid: it should be greater than 0."


def test_negative_limit_override(tmp_path: Path):
    """Is a zero limit in an assignment's own [limits] table refused with its full key and line?"""
    message = error_of(write(tmp_path, "call_time = 900", "call_time = 0"))
    assert message.startswith("grading.toml, line 23: assignments.fashion_mlp.limits.call_time = 0 is invalid")


def test_threshold_outside_zero_one(tmp_path: Path):
    """Is an accuracy threshold written as a percentage refused, naming the threshold and its line?"""
    message = error_of(write(tmp_path, "accuracy = 0.85", "accuracy = 85"))
    assert message == (
        "grading.toml, line 25: assignments.fashion_mlp.thresholds.accuracy = 85 is invalid: "
        "it should be less than or equal to 1."
    )


def test_negative_threshold(tmp_path: Path):
    """Is a negative threshold refused too?"""
    message = error_of(write(tmp_path, "accuracy = 0.85", "accuracy = -0.1"))
    assert "line 25" in message and "thresholds.accuracy = -0.1" in message and "greater than or equal to 0" in message


def test_negative_weight(tmp_path: Path):
    """Is a negative test weight refused with its key and line?"""
    message = error_of(write(tmp_path, "test_accuracy = 3", "test_accuracy = -3"))
    assert message.startswith("grading.toml, line 27: assignments.fashion_mlp.weights.test_accuracy = -3 is invalid")


def test_bad_language(tmp_path: Path):
    """Is a language other than ko or en refused, saying which ones are allowed?"""
    message = error_of(write(tmp_path, 'language = "en"', 'language = "de"'))
    assert message == "grading.toml, line 3: course.language = \"de\" is invalid: it should be 'ko' or 'en'."


def test_bad_kind(tmp_path: Path):
    """Is an assignment kind other than numeric or model refused?"""
    message = error_of(write(tmp_path, 'kind = "model"', 'kind = "neural"'))
    assert message.startswith('grading.toml, line 21: assignments.fashion_mlp.kind = "neural" is invalid')


def test_bad_file_name(tmp_path: Path):
    """Is a submission file given with a folder refused with the reason?"""
    message = error_of(write(tmp_path, 'file = "activations.py"', 'file = "src/activations.py"'))
    assert message.startswith("grading.toml, line 13: assignments.activations.file")
    assert "bare file name ending in .py" in message


def test_bad_assignment_name(tmp_path: Path):
    """Is an assignment table with a name that cannot be a folder name refused at its header line?"""
    message = error_of(write(tmp_path, "[assignments.activations]", "[assignments.Activations]"))
    assert message.startswith("grading.toml, line 10: the name 'Activations' in [assignments.Activations]")
    assert "lower-case" in message


def test_missing_key(tmp_path: Path):
    """Is a missing required key named, pointing at its table's header?"""
    message = error_of(write(tmp_path, "points = 20\n", ""))
    assert message.startswith("grading.toml, line 16: the required key 'assignments.fashion_mlp.points' is missing")


def test_several_problems_are_counted(tmp_path: Path):
    """When several keys are wrong, is the first one described and the rest counted?"""
    text = GOOD.replace("wall_time = 60", "wall_time = -1").replace("call_time = 5", "call_time = -1")
    message = error_of(write(tmp_path, text=text))
    assert message.startswith("grading.toml, line 7: limits.wall_time") and "(1 more problem after this one)" in message


def test_invalid_toml(tmp_path: Path):
    """Is a syntax error reported with its line, the line's text, and what to fix?"""
    message = error_of(write(tmp_path, 'title = "Activation functions"', 'title = "Activation functions'))
    assert message.startswith('grading.toml, line 12: `title = "Activation functions` is not valid TOML')
    assert "column" in message


def test_invalid_toml_at_the_end(tmp_path: Path):
    """Is a file cut off mid-table reported as a TOML error rather than a crash?"""
    message = error_of(write(tmp_path, text=GOOD + "[assignments.broken"))
    assert message.startswith("grading.toml, line 28: `[assignments.broken` is not valid TOML")


def test_dotted_key_is_found(tmp_path: Path):
    """Is a dotted key (limits.memory_mb = 0 inside an assignment) located on its own line?"""
    message = error_of(write(tmp_path, "points = 10\n", "points = 10\nlimits.memory_mb = 0\n"))
    assert message.startswith("grading.toml, line 15: assignments.activations.limits.memory_mb = 0 is invalid")


def test_missing_file(tmp_path: Path):
    """Is a configuration path that does not exist one sentence with the fix?"""
    message = error_of(tmp_path / "nowhere.toml")
    assert "No configuration file" in message and "--config" in message


def test_unknown_assignment_lists_the_known_ones(tmp_path: Path):
    """Does asking for an assignment that is not configured list the ones that are?"""
    config = load_config(write(tmp_path))
    with pytest.raises(ConfigError, match="known assignments: activations, fashion_mlp"):
        config.assignment("activation")


@pytest.mark.parametrize(
    "line, problem",
    [
        ("max_gap = 4", "less than or equal to 1"),
        ("holdout = 10", "greater than or equal to 500"),
        ("noise = 2.5", "valid integer"),
        ("gap = 0.1", "the keys allowed there are holdout, max_gap"),
    ],
)
def test_integrity_settings_are_checked(tmp_path: Path, line: str, problem: str):
    """Is a model assignment's [integrity] table checked like every other key, naming the key and its line?"""
    text = GOOD + "[assignments.fashion_mlp.integrity]\n" + line + "\n"
    message = error_of(write(tmp_path, text=text))
    key = line.split(" = ")[0]
    assert f"assignments.fashion_mlp.integrity.{key}" in message and problem in message, message
    assert f"line {text.count(chr(10))}" in message, message


def test_integrity_defaults():
    """Does a model assignment without an [integrity] table get the documented defaults?"""
    spec = Assignment(number=10, title="t", file="fashion_mlp.py", points=20, kind="model")
    assert (spec.integrity.holdout, spec.integrity.max_gap, spec.integrity.source_kb) == (5000, 0.019, 10)


# -- an assignment's own folder: solutions/NN_NAME/assignment.toml ---------------------------------------------------
FOLDER_SETTINGS = textwrap.dedent("""\
    title = "Convolution arithmetic"
    file = "conv.py"
    points = 10

    [weights]
    test_conv_shape = 2
    """)


def course_with_folder(tmp_path: Path, settings: str = FOLDER_SETTINGS, overrides: str = "") -> Path:
    """GOOD's grading.toml beside solutions/06_conv_arithmetic/assignment.toml."""
    folder = tmp_path / "solutions" / "06_conv_arithmetic"
    folder.mkdir(parents=True)
    (folder / "assignment.toml").write_text(settings, encoding="utf-8")
    return write(tmp_path, text=GOOD + overrides)


def test_an_assignment_folder_is_found(tmp_path: Path):
    """Is a folder NN_NAME with an assignment.toml an assignment, numbered by its folder, its paths beside it?"""
    config = load_config(course_with_folder(tmp_path))
    spec = config.assignment("conv_arithmetic")
    assert (spec.number, spec.file, spec.weights) == (6, "conv.py", {"test_conv_shape": 2})
    assert config.assignment_dir("conv_arithmetic") == tmp_path / "solutions" / "06_conv_arithmetic"
    assert list(config.assignments) == ["conv_arithmetic", "activations", "fashion_mlp"]


def test_grading_toml_overrides_a_folder_key_by_key(tmp_path: Path):
    """Does an [assignments.NAME] table of grading.toml override the folder's values, leaving the others?"""
    overrides = "[assignments.conv_arithmetic]\npoints = 12\n[assignments.conv_arithmetic.weights]\ntest_other = 3\n"
    spec = load_config(course_with_folder(tmp_path, overrides=overrides)).assignment("conv_arithmetic")
    assert (spec.points, spec.title) == (12, "Convolution arithmetic")
    assert spec.weights == {"test_conv_shape": 2, "test_other": 3}


def test_a_mistake_in_assignment_toml_names_that_file_and_line(tmp_path: Path):
    """Is a bad value in a folder's settings one sentence naming that file (from the course), its key and line?"""
    message = error_of(
        course_with_folder(tmp_path, FOLDER_SETTINGS.replace("test_conv_shape = 2", "test_conv_shape = -2"))
    )
    assert message.startswith(
        "solutions/06_conv_arithmetic/assignment.toml, line 6: weights.test_conv_shape = -2 is invalid"
    ), message


def test_an_unknown_key_in_assignment_toml_lists_the_allowed_ones(tmp_path: Path):
    message = error_of(course_with_folder(tmp_path, FOLDER_SETTINGS.replace("points = 10", "points = 10\ntimeout = 3")))
    assert message.startswith("solutions/06_conv_arithmetic/assignment.toml, line 4: unknown key 'timeout'"), message
    assert "points" in message and "thresholds" in message


def test_a_mistake_in_an_override_names_grading_toml(tmp_path: Path):
    message = error_of(course_with_folder(tmp_path, overrides="[assignments.conv_arithmetic]\npoints = -1\n"))
    assert message.startswith("grading.toml, line 29: assignments.conv_arithmetic.points = -1 is invalid"), message


def test_the_number_is_the_folders(tmp_path: Path):
    """Is a number written in assignment.toml or in an override refused: the folder's name declares it once?"""
    message = error_of(course_with_folder(tmp_path, "number = 7\n" + FOLDER_SETTINGS))
    assert "remove the key 'number'" in message and "06_conv_arithmetic" in message
    shutil.rmtree(tmp_path / "solutions")
    message = error_of(course_with_folder(tmp_path, overrides="[assignments.conv_arithmetic]\nnumber = 7\n"))
    assert "number" in message and "06_conv_arithmetic" in message


def test_two_folders_of_one_assignment_are_refused(tmp_path: Path):
    course_with_folder(tmp_path)
    other = tmp_path / "solutions" / "07_conv_arithmetic"
    other.mkdir()
    (other / "assignment.toml").write_text(FOLDER_SETTINGS, encoding="utf-8")
    message = error_of(tmp_path / "grading.toml")
    assert "06_conv_arithmetic and 07_conv_arithmetic" in message


def test_the_folders_root_is_a_course_setting(tmp_path: Path):
    """Does course.solutions move the folder the assignments are found in (relative to grading.toml)?"""
    course_with_folder(tmp_path)
    (tmp_path / "solutions").rename(tmp_path / "elsewhere")
    path = write(tmp_path, text=GOOD.replace('data_home = "data"', 'data_home = "data"\nsolutions = "elsewhere"'))
    assert load_config(path).assignment_dir("conv_arithmetic") == tmp_path / "elsewhere" / "06_conv_arithmetic"


def test_every_folder_of_the_course_holds_its_settings():
    """Is every assignment of the course's grading.toml found in its folder, none only in grading.toml?"""
    config = load_config(REPO_ROOT / "grading.toml")
    for name in config.assignments:
        assert (config.assignment_dir(name) / "assignment.toml").is_file(), name
