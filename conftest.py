"""The doctests of src/ffdata run on the small fixture package (tests/fixture/raw/), built
once per test process, in a checkout of their own; tests/ has its own conftest.py."""

import pytest
from _pytest.doctest import DoctestItem


@pytest.fixture(scope="session")
def fixture_checkout(tmp_path_factory: pytest.TempPathFactory):
    from support import fixture_checkout

    return fixture_checkout(tmp_path_factory.mktemp("fixture-checkout"))


@pytest.fixture(autouse=True)
def _doctests_read_the_fixture(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """Every doctest runs in the fixture checkout, reading its package: an example shows
    what the fixture holds, never today's live data."""
    if isinstance(request.node, DoctestItem):
        root = request.getfixturevalue("fixture_checkout")
        monkeypatch.chdir(root)
        monkeypatch.setenv("FFDATA_DATA_DIR", str(root))
