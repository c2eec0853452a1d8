"""Step 2: extract country rows and reviewed figures, as printed (before country resolution)."""

import csv
import sys

from _common import run_step

from ffdata.builder.figures import read_figures
from ffdata.builder.inputs import read_manifest
from ffdata.builder.pipeline import extract_country_figures, load_documents
from ffdata.builder.sources import read_sources


def step(args) -> None:
    manifest = read_manifest(args.raw_dir)
    docs = load_documents(manifest)
    sources = read_sources(manifest.raw_dir, docs)
    rows, _ = extract_country_figures(manifest, docs, sources)
    figures = read_figures(manifest.raw_dir, docs, sources)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["kind", "source_id", "what", "value", "file", "line", "text_as_printed"])
    for r in rows:
        what = f"{r.name_as_printed} {r.estimate}"
        out.writerow(["country", r.source_id, what, r.fighters, r.file, r.line, r.text_as_printed])
    for f in figures:
        value = f.value if f.value is not None else f"{f.value_low}-{f.value_high}"
        out.writerow(["figure", f.source_id, f.metric, value, f.file, f.line, f.text_as_printed])


if __name__ == "__main__":
    run_step(__doc__, step)
