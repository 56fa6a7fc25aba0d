"""`autograder calibrate`: this machine's speed against the one the time limits were measured on."""

from __future__ import annotations

from click.testing import CliRunner

from autograder.calibration import REFERENCE_SECONDS, Calibration
from autograder.cli import main


def test_time_scale_is_the_ratio_rounded_up_and_one_near_the_reference():
    assert Calibration({"numpy": 1.5, "torch": 1.7}, REFERENCE_SECONDS).time_scale == 1.0
    assert Calibration({"numpy": 1.6, "torch": 1.8}, REFERENCE_SECONDS).time_scale == 1.0  # within 10 %
    slower = Calibration({"numpy": 3.0, "torch": 3.4}, REFERENCE_SECONDS)
    assert slower.ratio == 2.0 and slower.time_scale == 2.0
    assert Calibration({"numpy": 3.1, "torch": 3.4}, REFERENCE_SECONDS).time_scale == 2.1  # rounded up: never tighter
    assert Calibration({"numpy": 0.75, "torch": 0.85}, REFERENCE_SECONDS).time_scale == 0.5


def test_calibrate_measures_this_machine_and_says_what_to_set():
    """On the kind of machine the limits came from, busy or not, the advice is the default (or close to it)."""
    result = CliRunner().invoke(main, ["calibrate"])
    assert result.exit_code == 0, result.output
    assert "time_scale = " in result.output and "[limits]" in result.output
    scale = float(result.output.split("time_scale = ")[1].split()[0])
    assert 0.5 <= scale <= 2.0, result.output


def test_time_scale_multiplies_every_time_limit_of_every_assignment():
    from autograder.config import load_config

    config = load_config()
    scaled = config.model_copy(update={"limits": config.limits.model_copy(update={"time_scale": 2.0})})
    for name in ("activations", "fashion_cnn"):
        before, after = config.limits_for(name), scaled.limits_for(name)
        assert (after.wall_time, after.call_time, after.import_time) == (
            2 * before.wall_time,
            2 * before.call_time,
            2 * before.import_time,
        )
        assert after.memory_mb == before.memory_mb
