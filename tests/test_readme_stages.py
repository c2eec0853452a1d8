"""The README shows what the code holds: the stages the build runs, the tables and their rows."""

from __future__ import annotations

from support import RAW

from ffdata.builder.pipeline import STAGES, stages_markdown


def test_readme_shows_the_stages_the_build_runs():
    readme = (RAW.parents[1] / "README.md").read_text(encoding="utf-8")
    shown = readme.split("<!-- stages:", 1)[1].split("-->", 1)[1].split("<!-- /stages -->")[0]
    assert shown.strip() == stages_markdown()
    assert [s.name for s in STAGES][-1] == "publish"
    assert f"| {len(STAGES)} | `publish` |" in shown


def test_readme_table_of_tables_gives_the_published_row_counts():
    """Every published table is in the README's list, with its primary key and row count."""
    import re

    import ffdata
    from ffdata.tables import TABLES

    readme = (RAW.parents[1] / "README.md").read_text(encoding="utf-8")
    rows = {
        m["name"]: (m["key"], int(m["rows"]))
        for m in re.finditer(
            r"^\| `(?P<name>\w+)` \| [^\n]*\| `(?P<key>[^`]+)` \| (?P<rows>\d+) \|$", readme, re.M
        )
    }
    assert set(rows) == set(TABLES)
    for name, table in TABLES.items():
        assert rows[name] == (", ".join(table.primary_key), len(ffdata.load(name))), name
