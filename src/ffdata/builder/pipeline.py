"""The pipeline: :data:`STAGES`, the stages a build runs in the order the data flows, each
filling its part of a :class:`BuildState`; the run stops after a checkpoint that found errors.
``python -m ffdata.builder.pipeline --raw-dir DIR --until STAGE`` prints what each produced.

Example:
    >>> len(run_pipeline("data/raw").tables["countries"])
    8
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ffdata.builder.countries import resolve
from ffdata.builder.countries.population import read_population
from ffdata.builder.countries.regions import read_regions
from ffdata.builder.extract import extract_country_figures
from ffdata.builder.inputs.manifest import load_documents, read_manifest
from ffdata.builder.publish.assemble import assemble_tables
from ffdata.builder.publish.validate import validate_tables
from ffdata.builder.review.coverage import check_coverage
from ffdata.builder.review.figures import read_figures, resolve_figure_countries
from ffdata.builder.review.sources import read_sources
from ffdata.builder.state import BuildState
from ffdata.errors import ErrorCollector, FfdataError, UnknownNameError


def _inputs(state: BuildState, errors: ErrorCollector) -> str:
    state.manifest = read_manifest(state.raw_dir)
    state.documents = load_documents(state.manifest, errors)
    return f"{len(state.documents)} documents, each matching its sha256"


def _reviewed(state: BuildState, errors: ErrorCollector) -> str:
    assert state.manifest is not None
    state.sources = read_sources(state.manifest.raw_dir, state.documents, errors)
    state.figures = read_figures(state.manifest.raw_dir, state.documents, state.sources, errors)
    declared = sum(s.country_estimates is not None for s in state.sources.values())
    return (
        f"{len(state.sources)} sources ({declared} with country estimates), "
        f"{len(state.figures)} reviewed figures, each quote found in its document"
    )


def _extract(state: BuildState, errors: ErrorCollector) -> str:
    state.rows = extract_country_figures(state.documents, state.sources, errors)
    return f"{len(state.rows)} country figures as printed"


def _countries(state: BuildState, errors: ErrorCollector) -> str:
    assert state.manifest is not None
    read = []
    for reviewed_id in (resolve.ALIASES_ID, resolve.PARTS_ID):
        with errors.attempt():
            read.append(resolve.read_aliases(state.manifest, reviewed_id))
    if len(read) == 2:  # else every name they give would be "unknown"
        state.aliases, state.parts = read
        state.countries = resolve.resolve_countries(state.rows, state.aliases, errors)
        state.figures = resolve_figure_countries(state.figures, state.aliases, errors)
    with errors.attempt():
        state.regions = read_regions(state.manifest)
    with errors.attempt():
        state.population = read_population(state.manifest)
    codes = {c.iso3 for c in state.countries.values()}
    return f"{len(state.countries)} names as printed -> {len(codes)} countries (ISO 3166-1)"


def _coverage(state: BuildState, errors: ErrorCollector) -> str:
    assert state.manifest is not None
    with errors.attempt():
        state.coverage = check_coverage(
            state.manifest.raw_dir, state.documents, state.figures, state.rows
        )
    return state.coverage.summary() if state.coverage is not None else ""


def _assemble(state: BuildState, errors: ErrorCollector) -> str:
    with errors.attempt():
        state.tables = assemble_tables(state)
    return ", ".join(f"{name} {len(frame)}" for name, frame in state.tables.items())


def _validate(state: BuildState, errors: ErrorCollector) -> str:
    with errors.attempt():
        validate_tables(state.tables, docs=state.documents)
    return "schemas, keys, provenance and the documents' own statements hold"


@dataclass(frozen=True)
class Stage:
    """One stage: its name, what it does (as the README shows it) and its function."""

    name: str
    does: str
    run: Callable[[BuildState, ErrorCollector], str] | None
    #: Stop after this stage if it or an earlier one found errors.
    checkpoint: bool = True


STAGES: tuple[Stage, ...] = (
    Stage(
        "inputs",
        "read `manifest.toml`; check every document's sha256 and size; split into lines",
        _inputs,
    ),
    Stage(
        "reviewed",
        "read `sources.toml` (with each source's declaration) and `figures.toml`; find each "
        "citation and quote in its document",
        _reviewed,
        checkpoint=False,
    ),
    Stage(
        "extract",
        "run each declared extractor on its document or data file; the footnote mark of each "
        "table or list must cite the declared source, and every row of a data file be read",
        _extract,
        checkpoint=False,
    ),
    Stage(
        "countries",
        "names as printed -> ISO 3166-1 codes (reviewed aliases, no guessing); "
        "UN M49 regions and World Bank population",
        _countries,
    ),
    Stage(
        "coverage",
        "every number in the documents, in digits or words, is a figure or excluded by a "
        "rule or a reviewed entry",
        _coverage,
    ),
    Stage(
        "assemble",
        "the tables as typed DataFrames: per-million rates, regional totals, the country "
        "names a reader may type",
        _assemble,
    ),
    Stage(
        "validate",
        "pandera schemas, keys, provenance, and the statements the documents make about "
        "their own figures",
        _validate,
    ),
    Stage(
        "publish",
        "Parquet, CSV and `datapackage.json`, written aside and moved in only when valid",
        None,
    ),
)


def run_stages(
    raw_dir: Path | str, until: str = "validate", report: Callable[[str, str], None] | None = None
) -> BuildState:
    """Run the stages up to ``until`` (included), calling ``report(stage, summary)``; return the
    state or raise an FfdataError.

    Example:
        >>> state = run_stages("data/raw", until="extract")
        >>> len(state.rows), state.tables
        (20, {})
    """
    names = [s.name for s in STAGES if s.run is not None]
    if until not in names:
        raise UnknownNameError(f"unknown stage {until!r}", hint=f"one of: {', '.join(names)}")
    state = BuildState(raw_dir=Path(raw_dir))
    errors = ErrorCollector()
    for stage in STAGES:
        if stage.run is None:
            break
        summary = stage.run(state, errors)
        if stage.checkpoint or stage.name == until:
            errors.raise_if_any()
        if report is not None:
            report(stage.name, summary)
        if stage.name == until:
            break
    return state


def run_pipeline(raw_dir: Path | str) -> BuildState:
    """Run every stage but publishing; return the state with validated tables.
    Example: see the module docstring."""
    return run_stages(raw_dir)


def stages_markdown() -> str:
    """Return the stages as the Markdown table the README shows.

    Example:
        >>> stages_markdown().splitlines()[2].startswith("| 1 | `inputs` |")
        True
    """
    out = ["| stage | name | what it does |", "| ---: | --- | --- |"]
    out += [f"| {i} | `{s.name}` | {s.does} |" for i, s in enumerate(STAGES, start=1)]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the stages up to ``--until`` on ``--raw-dir`` and print what each produced.

    Example:
        >>> main(["--raw-dir", "/nonexistent/raw", "--until", "inputs"])
        1
    """
    parser = argparse.ArgumentParser(prog="python -m ffdata.builder.pipeline", description=__doc__)
    parser.add_argument("--raw-dir", type=Path, help="a folder laid out like data/raw/")
    parser.add_argument(
        "--until", default="validate", choices=[s.name for s in STAGES if s.run is not None]
    )
    parser.add_argument("--list", action="store_true", help="print the stages and exit")
    args = parser.parse_args(argv)
    if args.list:
        print(stages_markdown())
        return 0
    if args.raw_dir is None:
        parser.error("give --raw-dir (or --list)")
    try:
        run_stages(args.raw_dir, args.until, lambda name, text: print(f"{name}: {text}"))
    except FfdataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
