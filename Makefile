# The README's two commands are `make grade` and `make test`; each runs the idempotent set-up first.
.PHONY: setup grade test test-fast test-slow release benchmark

setup:
	@bash scripts/setup.sh

# Main job: grade the bundled example submissions of every assignment and print a gradebook.
grade: setup
	@.venv/bin/autograder grade-examples

# Everything, the slow training tests included (what CI runs).
test: setup
	@.venv/bin/python -m pytest -m ""

# Everything but the tests that train models on the full data set.
test-fast: setup
	@.venv/bin/python -m pytest

test-slow: setup
	@.venv/bin/python -m pytest -m slow

# Regenerate the student release (assignments/) from the instructor source (solutions/).
release: setup
	@.venv/bin/autograder build-release

benchmark: setup
	@.venv/bin/python scripts/benchmark_sandbox.py
	@.venv/bin/python scripts/benchmark_models.py
