# The two commands the README starts with: `make run` and `make test`. Both set everything up.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format lock docs readme-screens bench clean

$(STAMP): requirements/dev.lock requirements/video.lock pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/dev.lock
	# The video extra (running-form check) without the mediapipe dependencies Pose never uses.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements/video.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/backstride serve

test: $(STAMP)
	bash scripts/test.sh

LINT_PATHS := src tests $(wildcard bench)

lint: $(STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix $(LINT_PATHS)
	$(BIN)/ruff format $(LINT_PATHS)

# The README's command reference, from the commands' own help (a test fails when it is stale).
docs: $(STAMP)
	$(BIN)/cog -r README.md

# The README's phone screenshots (Today, a check result, the plan), taken by a browser test.
readme-screens: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/e2e/test_readme_screens.py
	mkdir -p docs/screens
	cp test-artifacts/screens/readme-today.png test-artifacts/screens/readme-check-result.png \
		test-artifacts/screens/readme-plan.png docs/screens/

# Regenerate the pinned requirements from requirements/*.in (needs network to PyPI).
lock:
	$(PY) -m pip install --quiet uv
	$(PY) -m uv pip compile --python-version 3.11 --no-header requirements/app.in -o requirements/app.lock
	$(PY) -m uv pip compile --python-version 3.11 --no-header requirements/dev.in -o requirements/dev.lock

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache .mypy_cache .ruff_cache
