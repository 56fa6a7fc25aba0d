# The README's two commands are `make grade` and `make test`; each runs the idempotent set-up first.
.PHONY: setup grade test lint test-fast test-slow release benchmark mutation

setup:
	@bash scripts/setup.sh

# Main job: grade the bundled example submissions of every assignment and print a gradebook.
grade: setup
	@.venv/bin/autograder grade-examples

# Everything, the slow training tests included (what CI runs); the import contracts first (pyproject.toml).
test: setup lint
	@.venv/bin/python -m pytest -m ""

# The hidden suites and drivers live in the assignment folders, which ruff otherwise leaves alone with the references.
HIDDEN_SUITES = $(wildcard solutions/*/hidden/*.py solutions/*/drivers.py)

# The habits make test checks first: the layering (import-linter), lint and format (ruff), types (mypy, strict on the core).
lint: setup
	@.venv/bin/lint-imports --no-logo --no-cache
	@.venv/bin/ruff check --quiet . $(HIDDEN_SUITES)
	@.venv/bin/ruff format --check --quiet . $(HIDDEN_SUITES)
	@.venv/bin/mypy

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

# How strong are the hidden tests? Mutation testing into solutions/MUTATION.md (about 40 minutes on
# 2 cores for all ten; NAME=losses for one, e.g. `make mutation NAME="losses evaluation"`). Not part of `make test`.
mutation: setup
	@.venv/bin/python -c "import cosmic_ray" 2>/dev/null || .venv/bin/python -m pip install -q -c requirements.lock -e ".[mutation]"
	@.venv/bin/python scripts/mutation.py $(NAME)
