# LerenWerkt jaarverslag — `make help` lists the targets.
# `make reports` and `make test` create the virtual environment on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
LAB_STAMP := $(VENV)/.lab-$(shell cksum pyproject.toml | cut -d' ' -f1)
SCHOOLJAAR ?= 2024-2025

.DEFAULT_GOAL := help
.PHONY: help install reports test test-fast synth validate tables lab dev clean bench boek

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,dask]'
	rm -f $(VENV)/.installed-* $(VENV)/.lab-*
	touch $(STAMP)

$(LAB_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,lab]'
	rm -f $(VENV)/.lab-*
	touch $(LAB_STAMP)

install: $(STAMP) ## create .venv and install the pinned dependencies

reports: $(STAMP) ## build every chapter draft, region and nine gemeenten, into reports/
	$(BIN)/lerenwerkt build --schooljaar $(SCHOOLJAAR)

test: $(STAMP) ## run all tests (backtests, units, a real notebook build)
	$(BIN)/python -m pytest

test-fast: $(STAMP) ## the tests without notebook execution
	$(BIN)/python -m pytest -m "not slow"

synth: $(STAMP) ## regenerate the synthetic register in data/raw
	$(BIN)/lerenwerkt synth

validate: $(STAMP) ## check data/raw against the data contract
	$(BIN)/lerenwerkt validate

boek: $(STAMP) ## the jaarverslag as one book (HTML + PDF) and a lokaal katern per gemeente, into reports/<jaar>/boek/ (ARGS="--publicatie openbaar")
	$(BIN)/lerenwerkt boek --schooljaar $(SCHOOLJAAR) $(ARGS)

tables: $(STAMP) ## write every published table as reports/cells.csv
	$(BIN)/lerenwerkt tables --schooljaar $(SCHOOLJAAR) --out reports

lab: $(LAB_STAMP) ## start JupyterLab on the notebooks (also as root in a container; options: ARGS="--port 8899")
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root) $(ARGS)

dev: $(STAMP) ## developer set-up: JupyterLab, pre-commit hooks (ruff, nbstripout)
	$(BIN)/pip install --quiet -e '.[test,dask,lab,dev]'
	$(BIN)/pre-commit install

clean: ## remove build output (reports/, data/processed/, build/) and the cleaned-register cache
	find reports -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
	find data/processed -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
	rm -rf build
	@if [ -x $(BIN)/python ]; then $(BIN)/python -m lerenwerkt.pipeline --clear-cache; \
	elif [ -z "$$LERENWERKT_CACHE" ]; then rm -rf "$${XDG_CACHE_HOME:-$$HOME/.cache}/lerenwerkt"; \
	else echo "cache in $$LERENWERKT_CACHE: eerst make install, dan make clean"; fi

bench: $(STAMP) ## benchmark: naive papermill+nbconvert loop vs lerenwerkt build, no-op, national indicators
	$(BIN)/python -m lerenwerkt.bench
