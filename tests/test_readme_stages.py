"""The README shows the one list of stages the build runs (ffdata.builder.pipeline.STAGES)."""

from __future__ import annotations

from conftest import RAW
from ffdata.builder.pipeline import STAGES, stages_markdown


def test_readme_shows_the_stages_the_build_runs():
    readme = (RAW.parents[1] / "README.md").read_text(encoding="utf-8")
    shown = readme.split("<!-- stages:", 1)[1].split("-->", 1)[1].split("<!-- /stages -->")[0]
    assert shown.strip() == stages_markdown()
    assert [s.name for s in STAGES][-1] == "publish"
    assert f"| {len(STAGES)} | `publish` |" in shown
