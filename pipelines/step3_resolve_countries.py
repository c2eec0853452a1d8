"""Step 3: resolve every country name as printed to ISO 3166-1 codes (no fuzzy matching)."""

from _common import run_step

from ffdata.builder.countries import read_aliases
from ffdata.builder.inputs import read_manifest
from ffdata.builder.pipeline import extract_country_figures, load_documents, resolve_countries
from ffdata.builder.reviewed import read_sources


def step(args) -> None:
    manifest = read_manifest(args.raw_dir)
    docs = load_documents(manifest)
    rows, _ = extract_country_figures(manifest, docs, read_sources(manifest.raw_dir, docs))
    print("name_as_printed,iso3,iso2,name")
    for printed, country in sorted(resolve_countries(rows, read_aliases(manifest)).items()):
        print(f'"{printed}",{country.iso3},{country.iso2},"{country.name}"')


if __name__ == "__main__":
    run_step(__doc__, step)
