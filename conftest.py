"""The doctests of src/ffdata run on the small fixture package (tests/fixture/raw/), built
once per test process, in a checkout of their own; tests/ has its own conftest.py."""

import pytest
from _pytest.doctest import DoctestItem

#: Modules whose examples still show the live data (their owners move them to the fixture;
#: then this tuple goes): their doctests run in the repository, as before.
ON_THE_LIVE_DATA = (
    "ffdata.builder.tools.report",
)


@pytest.fixture(scope="session")
def fixture_checkout(tmp_path_factory: pytest.TempPathFactory):
    from support import fixture_checkout

    return fixture_checkout(tmp_path_factory.mktemp("fixture-checkout"))


@pytest.fixture(autouse=True)
def _doctests_read_the_fixture(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    item = request.node
    if isinstance(item, DoctestItem) and not item.name.startswith(ON_THE_LIVE_DATA):
        root = request.getfixturevalue("fixture_checkout")
        monkeypatch.chdir(root)
        monkeypatch.setenv("FFDATA_DATA_DIR", str(root))
