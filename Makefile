# NSCL reports. `make report` builds the default report (2025, Vietnamese, HTML + PDF, and the
# submission to the Ministry as .docx) into
# reports/2025/, setting up .venv first if needed; `make test` runs the whole test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup report reports test lint format lab benchmark clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name nscl --display-name "NSCL reports (Python 3)" >/dev/null
	touch $(STAMP)

setup: $(STAMP)

report: setup
	$(BIN)/nscl build --year 2025 --lang vi --format html,pdf,docx

reports: setup
	$(BIN)/nscl batch

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

format: setup
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

lab: setup
	$(BIN)/jupyter lab --notebook-dir=notebooks

benchmark: setup
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit $$?; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
