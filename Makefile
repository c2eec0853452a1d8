# ffdata: the two set-up commands are `make data` and `make test`.
# Both create .venv on first use from pinned, hash-checked locks (`make lock` writes both):
#   requirements.lock       what building needs (the package, `build` and `report` extras,
#                           hatchling): `make data`, `make report`, `make release`;
#   requirements-test.lock  the same pins plus the `dev` and `polars` extras (pytest, ruff...):
#                           installed on top by `make test`, `expected`, `lint`, `format`, `bench`.
# Each has its stamp in .venv; a changed lock or pyproject.toml installs again.

PYTHON ?= python3
# Python keeps compiled modules (__pycache__/, ignored by git) even where the environment
# says not to: every build, tool and test process would otherwise compile ffdata again.
unexport PYTHONDONTWRITEBYTECODE
VENV       := .venv
BIN        := $(VENV)/bin
BUILD_LOCK := requirements.lock
TEST_LOCK  := requirements-test.lock
STAMP      := $(VENV)/.ffdata-build-installed
TEST_STAMP := $(VENV)/.ffdata-test-installed
PIP        := $(BIN)/python -m pip install --quiet --disable-pip-version-check
UV         ?= uv
LOCK_ARGS  := --generate-hashes --universal --python-version 3.11

.PHONY: data test lint format venv venv-test bench lock clean release report expected

## The build environment: the build lock, then ffdata itself (editable, no network).
venv: $(STAMP)

$(STAMP): $(BUILD_LOCK) pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) --require-hashes --no-deps -r $(BUILD_LOCK)
	$(PIP) --no-deps --no-build-isolation -e .
	touch $(STAMP)

## The test environment: the build environment plus the test lock's tools (same pins).
venv-test: $(TEST_STAMP)

$(TEST_STAMP): $(STAMP) $(TEST_LOCK)
	$(PIP) --require-hashes --no-deps -r $(TEST_LOCK)
	touch $(TEST_STAMP)

## Rebuild data/processed/ and datapackage.json from data/raw/, check them with Frictionless,
## then write the codebook, CITATION.cff, croissant.json and the report (read from the package
## just built). Each is made only when a file it is made from changed (content hashes in data/build-stamps.json);
## `$(BIN)/python -m ffdata.builder.tools.targets --dry-run` says what would be made and why.
## Builds no release: released versions never change.
data: $(STAMP)
	@$(BIN)/python -m ffdata.builder.tools.targets --root .

## Lint, format check, then the whole test suite.
test: $(TEST_STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/python -m pytest

## Rewrite tests/expected.json, what the test fixture's and data/raw/'s builds publish (rows
## per source, figures, sources, documents, countries, totals, coverage, a digest per table).
## After a reviewed data change: `make data`, `make expected`, read the diff, commit both.
expected: $(TEST_STAMP)
	$(BIN)/python tests/expectations.py --root .

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests benchmarks

format: $(TEST_STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

## `make release VERSION=x.y.z`: dist/ffdata-data-x.y.z.zip, byte-reproducible, its sha256
## recorded once in src/ffdata/reference/releases.json, a copy in releases/ and .zenodo.json
## (commit the three). VERSION must be the package's version (src/ffdata/_version.py), dated in
## CHANGELOG.md (`## x.y.z (YYYY-MM-DD)`); a version already recorded with another sha256 is
## refused. The diff against the previous release is taken from releases/ (or PREVIOUS=zip|dir).
release: $(STAMP)
	@test -n "$(VERSION)" || { echo "error: give the version: make release VERSION=x.y.z (the version in src/ffdata/_version.py)" >&2; exit 2; }
	$(BIN)/ffdata validate .
	$(BIN)/python -m ffdata.builder.tools.release --version $(VERSION) --root . --dist dist $(if $(PREVIOUS),--previous $(PREVIOUS))

## docs/report/index.html: one self-contained page of charts and a browsable table (no make data).
report: $(STAMP)
	FFDATA_DATA_DIR=$(CURDIR) $(BIN)/python -m ffdata.builder.tools.report --out docs/report

## Speed measurements (never run as tests).
bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/api_speed.py
	FFDATA_DATA_DIR=$(CURDIR) $(BIN)/python benchmarks/report_charts.py
	$(BIN)/python benchmarks/adversarial.py

## Re-pin every dependency (needs network and uv: `python3 -m pip install --user uv`, or
## UV=/path/to/uv); commit both locks. The test lock is solved first, then the build lock
## within it, so that every package the two share has the same pin (tests/test_set_up.py).
lock:
	@command -v $(UV) >/dev/null || { echo "error: make lock needs uv: python3 -m pip install --user uv (or make lock UV=/path/to/uv)" >&2; exit 2; }
	$(UV) pip compile pyproject.toml requirements-build.in --extra build --extra report \
	    --extra dev --extra polars $(LOCK_ARGS) -o $(TEST_LOCK)
	$(UV) pip compile pyproject.toml requirements-build.in --extra build --extra report \
	    -c $(TEST_LOCK) $(LOCK_ARGS) -o $(BUILD_LOCK)

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
