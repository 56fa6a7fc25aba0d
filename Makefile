# The two commands of the README; each runs the idempotent set-up first.
.PHONY: setup grade test test-slow benchmark

setup:
	@bash scripts/setup.sh

grade: setup
	@.venv/bin/autograder grade-examples

test: setup
	@.venv/bin/python -m pytest

test-slow: setup
	@.venv/bin/python -m pytest -m slow

benchmark: setup
	@.venv/bin/python scripts/benchmark_sandbox.py
