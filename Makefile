# ffdata: the two set-up commands are `make data` and `make test`.
# Both create .venv from requirements.lock (pinned, hash-checked) on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.ffdata-installed

.PHONY: data test lint format venv bench lock clean release report

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

## Rebuild data/processed/ and datapackage.json from data/raw/.
data: $(STAMP)
	$(BIN)/ffdata build --raw-dir data/raw --out-dir .
	$(BIN)/ffdata codebook > docs/codebook.md
	$(BIN)/python -m ffdata.builder.report
	$(BIN)/python -m ffdata.builder.release

## Lint, format check, then the whole test suite.
test: $(STAMP)
	$(BIN)/ruff check src tests pipelines benchmarks
	$(BIN)/ruff format --check src tests pipelines benchmarks
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests pipelines benchmarks

format: $(STAMP)
	$(BIN)/ruff format src tests pipelines benchmarks
	$(BIN)/ruff check --fix src tests pipelines benchmarks

## dist/ffdata-data-<version>.zip, byte-reproducible; records its sha256 for fetch_release.
release: $(STAMP)
	$(BIN)/python -m ffdata.builder.release

## docs/report/index.html: one self-contained page of charts and a browsable table (no make data).
report: $(STAMP)
	$(BIN)/python -m ffdata.builder.report

## Speed measurements (never run as tests).
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/api_speed.py
	$(BIN)/python benchmarks/adversarial.py

## Re-pin every dependency (needs network and uv); commit the result.
lock:
	uv pip compile pyproject.toml requirements-build.in --extra build --extra dev --extra report --generate-hashes \
	    --universal --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
