# Every target sets itself up: a fresh machine needs only python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
MODEL_DIR ?= models
SHARED_EVAL ?= ../shared/eval/realworld-public.jsonl

.PHONY: run train test lint bench report select datacard clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/recruitscan train --if-missing --model-dir $(MODEL_DIR)
	$(BIN)/recruitscan serve --host $(HOST) --port $(PORT) --model-dir $(MODEL_DIR)

train: $(VENV)/.installed
	$(BIN)/recruitscan train --model-dir $(MODEL_DIR)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check service training tests benchmarks
	$(BIN)/ruff format --check service training tests benchmarks

bench: $(VENV)/.installed
	$(BIN)/recruitscan train --if-missing --model-dir $(MODEL_DIR)
	$(BIN)/python benchmarks/run.py --model-dir $(MODEL_DIR)

$(VENV)/.installed-reports: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[reports]'
	touch $@

report: $(VENV)/.installed-reports
	$(BIN)/recruitscan train --if-missing --model-dir $(MODEL_DIR)
	$(BIN)/recruitscan evaluate --split test --model-dir $(MODEL_DIR) --report reports/test
	@if [ -f $(SHARED_EVAL) ]; then \
	  $(BIN)/recruitscan evaluate --data $(SHARED_EVAL) --model-dir $(MODEL_DIR) --report reports/realworld; \
	else echo "$(SHARED_EVAL) not found: real-traffic evaluation skipped"; fi

# Trains every candidate design on the same splits and rewrites docs/model-selection.md.
select: $(VENV)/.installed
	$(BIN)/python -m training.select

# Recomputes the tables in data/README.md after data/ changed.
datacard: $(VENV)/.installed
	$(BIN)/python -m training.datacard

clean:
	rm -rf $(VENV) reports
