# NSCL reports. `make report` builds the default report (2025, Vietnamese, HTML + PDF, and the
# submission to the Ministry as .docx) into
# reports/2025/, setting up .venv first if needed; `make test` runs the whole test suite.
# `make setup` first checks the machine (src/helpers/system_check.py): if a system package is
# missing it stops at once with the one apt-get line that installs it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LAB_STAMP := $(VENV)/.installed-lab
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check
LOCK := $(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes --no-header --quiet
# Test processes in parallel (pytest-xdist); `make test JOBS=1` runs them one by one.
JOBS ?= auto

.PHONY: setup check-system report reports test lint format lab lock benchmark clean

check-system:
	@$(PYTHON) src/helpers/system_check.py

# The locked versions (with hashes), then the project itself without resolving again.
$(STAMP): pyproject.toml requirements-dev.txt src/helpers/system_check.py
	@$(PYTHON) src/helpers/system_check.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes -r requirements-dev.txt
	$(PIP) install --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name nscl --display-name "NSCL reports (Python 3)" >/dev/null
	touch $(STAMP)

setup: $(STAMP)

report: setup
	$(BIN)/nscl build --year 2025 --lang vi --format html,pdf,docx

reports: setup
	$(BIN)/nscl batch

# Compiled modules are kept (also where the environment sets PYTHONDONTWRITEBYTECODE): the test
# processes, the notebook kernels and the `nscl` commands they start then compile each module
# once, and pytest keeps its rewritten test modules.
test: setup
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n $(JOBS)

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

$(LAB_STAMP): $(STAMP) requirements-lab.txt
	$(PIP) install --require-hashes -r requirements-lab.txt
	touch $(LAB_STAMP)

lab: $(LAB_STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks

# Regenerate the lock files after changing pyproject.toml's dependencies.
lock: setup
	$(PIP) install uv
	$(LOCK) -o requirements.txt
	$(LOCK) --extra dev -o requirements-dev.txt
	$(LOCK) --extra dev --extra lab -o requirements-lab.txt
	$(BIN)/python -m helpers.environment_files

benchmark: setup
	for f in benchmarks/bench_*.py; do PYTHONDONTWRITEBYTECODE= $(BIN)/python $$f || exit $$?; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
