"""The docs show what the code holds: the stages the build runs, the tables and their keys."""

from __future__ import annotations

import re

from support import ROOT

from ffdata.builder.pipeline import STAGES, stages_markdown
from ffdata.tables import TABLES


def test_contributing_shows_the_stages_the_build_runs():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    shown = text.split("<!-- stages:", 1)[1].split("-->", 1)[1].split("<!-- /stages -->")[0]
    assert shown.strip() == stages_markdown()
    assert f"| {len(STAGES)} | `publish` |" in shown


def test_readme_table_of_tables_gives_every_table_and_its_primary_key():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    keys = dict(re.findall(r"^\| `(\w+)` \| [^\n]*\| `([^`]+)` \|$", readme, re.M))
    assert keys == {name: ", ".join(t.primary_key) for name, t in TABLES.items()}
