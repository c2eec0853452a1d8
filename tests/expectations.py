"""`make expected`: write tests/expected.json, what the builds of the test fixture
(tests/fixture/raw/) and of the live data (data/raw/) publish, one value a line: per source
its rows, every aggregate figure, source, document and country, the regional totals, the
coverage by kind, a digest per table. tests/test_extracted_values.py compares it with the
build; after a reviewed data change, run `make expected` and commit the file with the change.

    python tests/expectations.py [--root CHECKOUT]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from support import FIXTURE_RAW, ROOT

#: Where the expectations are, relative to a checkout.
EXPECTED = Path("tests") / "expected.json"
MAKE = "make expected"


def _number(value: object) -> str:
    """``-`` for no value, an integral number without its ``.0``."""
    import pandas as pd

    if value is None or pd.isna(value):
        return "-"
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def _text(value: object) -> str:
    """``""`` for no value."""
    import pandas as pd

    return "" if value is None or pd.isna(value) else str(value)


def _figure(row, stem: str) -> str:
    low, high = getattr(row, f"{stem}_low"), getattr(row, f"{stem}_high")
    if _number(low) != "-" or _number(high) != "-":
        return f"{_number(low)}-{_number(high)}"
    return _number(getattr(row, stem))


def _grouped(frame, key: str, line) -> dict[str, list[str]]:
    return {
        str(name): [line(row) for _, row in group.iterrows()]
        for name, group in frame.groupby(key, sort=True)
    }


def expectations(result) -> dict:
    """What a build (a PipelineResult) publishes, as compact lines under sorted keys."""
    t = result.tables
    estimates = t["country_estimates"].sort_values(["source_id", "line", "estimate", "iso3"])
    totals = t["regional_totals"].assign(
        series=lambda f: f.source_id + " " + f.estimate.astype(str)
    )
    return {
        "country_estimates": _grouped(
            estimates,
            "source_id",
            lambda r: (
                f"{r.iso3} {r.estimate} {_figure(r, 'fighters')} line {r.line} "
                f"rank {_number(r.rank_as_printed)} {r.name_as_printed!r} {_text(r.oddities)}".strip()
            ),
        ),
        "aggregate_figures": {
            r.figure_id: " ".join(
                filter(None, [_figure(r, "value"), r.unit, r.qualifier, _text(r.iso3)])
            )
            + f" {r.document_id}:{r.line}"
            + "".join(
                f" {_text(v)}"
                for v in (r.groups_counted, r.place_counted, r.count_kind, r.oddities)
                if _text(v)
            )
            for r in t["aggregate_figures"].itertuples()
        },
        "sources": {
            r.source_id: f"{r.document_id}:{r.line} footnote {_number(r.footnote)} "
            f"published {_text(r.published_date) or '-'}"
            for r in t["sources"].itertuples()
        },
        "documents": {
            r.document_id: f"{r.file} {r.lines} lines sha256 {r.sha256[:16]}"
            for r in t["documents"].itertuples()
        },
        "countries": {
            r.iso3: f"{r.iso2} {_number(r.iso_numeric)} {r.country_name} | {r.region} | {r.subregion} | "
            f"{r.population_2015} {_text(r.region_note)}".strip()
            for r in t["countries"].itertuples(index=False)
        },
        "regional_totals": _grouped(
            totals.sort_values(["series", "level", "area"]),
            "series",
            lambda r: f"{r.level} {r.area}: {r.country_count} countries, {_figure(r, 'fighters')}",
        ),
        "country_names": t["country_names"]["kind"].value_counts().sort_index().to_dict(),
        "coverage": {kind: int(n) for kind, n in sorted(result.coverage.by_kind().items())},
        "rows": {name: len(frame) for name, frame in sorted(t.items())},
        "sha256_of_csv": {
            name: hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()[:16]
            for name, frame in sorted(t.items())
        },
    }


def render(content: dict) -> str:
    """The file's text: sorted keys, one value a line."""
    return json.dumps(content, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def current(root: Path = ROOT, live=None) -> dict:
    """The expectations of the fixture and of ``root``'s data/raw (or of its build ``live``)."""
    from ffdata.builder.pipeline import run_pipeline

    live = live if live is not None else run_pipeline(root / "data" / "raw")
    return {"fixture": expectations(run_pipeline(FIXTURE_RAW)), "live": expectations(live)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout (default: .)")
    root = parser.parse_args(argv).root
    from ffdata.builder.publish.atomic import write_whole
    from ffdata.errors import FfdataError

    try:
        text = render(current(root))
    except FfdataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    write_whole(root / EXPECTED, text)  # a crash leaves the previous file whole
    print(f"wrote {root / EXPECTED}: review its diff, then commit it with the data change")
    return 0


if __name__ == "__main__":
    sys.exit(main())
