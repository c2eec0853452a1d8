"""Build hook: wheels carry the published tables inside the package (``ffdata/_data/``).

Everything else is declared in pyproject.toml. An editable install skips the
copy and reads the checkout's ``data/processed/`` instead (see ffdata.locate).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildPyWithData(build_py):
    """Copy datapackage.json and data/processed/ into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "ffdata" / "_data"
        if target.exists():
            shutil.rmtree(target)
        (target / "data").mkdir(parents=True)
        shutil.copy2(ROOT / "datapackage.json", target / "datapackage.json")
        shutil.copytree(ROOT / "data" / "processed", target / "data" / "processed")


setup(cmdclass={"build_py": BuildPyWithData})
