"""Sources as people type them: ids, the labels compare() shows, producers; near misses get
suggestions; a producer of several sources gives all of them, or is refused where one is
needed. Checked over every declaration of data/raw/sources.toml."""

from __future__ import annotations

import tomllib

import pytest
from support import RAW

import ffdata
from ffdata.cli import main
from ffdata.errors import UnknownNameError
from ffdata.lookup import find_source, find_sources, source_key

SOURCES = tomllib.loads((RAW / "sources.toml").read_text(encoding="utf-8"))["sources"]


def label_of(source: dict) -> str | None:
    return source.get("country_estimates", {}).get("label")


def as_typed(name: str) -> list[str]:
    """``name`` as people type it: any case, spaces for hyphens, padding, punctuation."""
    return [
        name,
        name.upper(),
        name.lower(),
        f"  {name.replace('-', ' ')} ",
        name.replace(" ", "-"),
        name.replace(" ", "_") + ".",
    ]


def same_producer(source: dict) -> list[str]:
    """The ids of every source whose producer has the same key as ``source``'s."""
    key = source_key(source["producer"])
    return [s["source_id"] for s in SOURCES if source_key(s["producer"]) == key]


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s["source_id"])
def test_every_id_label_and_producer_names_its_source(source: dict) -> None:
    source_id, label = source["source_id"], label_of(source)
    for typed in as_typed(source_id):
        assert find_sources(typed) == [source_id], typed
        assert find_source(typed) == source_id
    for typed in as_typed(label) if label else []:
        assert find_sources(typed) == [source_id], typed
    producer = sorted(same_producer(source))
    for typed in as_typed(source["producer"]):
        assert sorted(find_sources(typed)) == producer, typed


def test_a_producer_name_inside_the_producer_names_its_sources() -> None:
    assert find_sources("Soufan") == sorted(
        s["source_id"] for s in SOURCES if "soufan" in s["producer"].lower()
    )
    icsr = [s["source_id"] for s in SOURCES if "(ICSR)" in s["producer"]]
    assert len(icsr) >= 2 and find_sources("ICSR") == find_sources("icsr") == sorted(icsr)
    assert find_sources("The Soufan Group") == find_sources("soufan group")
    assert find_sources("IEP") == find_sources("Institute for Economics & Peace")
    world_bank = sorted(s["source_id"] for s in SOURCES if "world bank" in s["producer"].lower())
    assert world_bank and find_sources("World Bank") == find_sources("worldbank") == world_bank


def test_provenance_of_a_producer_of_several_sources_gives_each_of_them() -> None:
    uk = ffdata.load("country_estimates").query("iso3 == 'GBR'")
    icsr_uk = set(uk["source_id"]) & set(find_sources("ICSR"))
    assert len(icsr_uk) >= 2  # the UK is listed by more than one ICSR source
    got = ffdata.provenance("UK", source="ICSR")
    assert set(got["source_id"]) == icsr_uk
    assert len(got) == len(uk[uk["source_id"].isin(icsr_uk)])
    label = ffdata.compare("UK").query("source_id == 'soufan-2015'")["label"].iloc[0]
    assert set(ffdata.provenance("UK", source="soufan-2015")["source_id"]) == {"soufan-2015"}
    assert set(ffdata.provenance("UK", source=label)["source_id"]) == {"soufan-2015"}
    soufan_uk = set(uk["source_id"]) & set(find_sources("The Soufan Group"))
    for typed in ("Soufan", "soufan", "The Soufan Group"):
        assert set(ffdata.provenance("UK", source=typed)["source_id"]) == soufan_uk, typed


def test_where_one_source_is_needed_a_name_of_several_is_refused_naming_each() -> None:
    several = find_sources("ICSR")
    assert len(several) >= 2
    with pytest.raises(UnknownNameError, match=f"names {len(several)} sources") as info:
        find_source("ICSR")
    for source_id in several:
        assert source_id in info.value.message and source_id in str(info.value.hint)


@pytest.mark.parametrize(
    "source", [s for s in SOURCES if label_of(s)], ids=lambda s: s["source_id"]
)
def test_a_near_miss_of_a_label_is_refused_with_its_source_suggested(source: dict) -> None:
    label = label_of(source)
    first, *rest = label.split()
    typo = " ".join([first[:2] + first[3:], *rest])  # one letter left out
    with pytest.raises(UnknownNameError, match="unknown source") as info:
        find_sources(typo)
    assert source["source_id"] in str(info.value.hint), (typo, info.value.hint)


def _whole_words() -> set[str]:
    """Every word of every source's id, label and producer, as keys."""
    names = [n for s in SOURCES for n in (s["source_id"], label_of(s) or "", s["producer"])]
    return {w for n in names for w in source_key(n).split()}


@pytest.mark.parametrize(
    "source", [s for s in SOURCES if label_of(s)], ids=lambda s: s["source_id"]
)
def test_a_word_cut_short_names_no_source(source: dict) -> None:
    """Words match whole: the first word of a label less its last letter ("Soufa", "IE") is
    a near miss, refused with suggestions, never read as the source it begins."""
    first = label_of(source).split()[0]
    cut = first[:-1]
    if source_key(cut) in _whole_words() or not source_key(cut):
        pytest.skip(f"{cut!r} is a word of some source's names")
    with pytest.raises(UnknownNameError, match="unknown source") as info:
        find_sources(cut)
    if len(cut) >= 3:  # two letters ("IE") are close to no name: no suggestion beats a wild one
        assert "did you mean" in str(info.value.hint), (cut, info.value.hint)


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("Sufan", "Soufan"),
        ("ICRS", "ICSR"),
        ("Wrld Bank", "World Bank"),
        ("Telegrahp", "Telegraph"),
    ],
)
def test_near_misses_of_producers_get_suggestions(typed: str, suggested: str) -> None:
    with pytest.raises(UnknownNameError) as info:
        find_sources(typed)
    assert info.value.hint.startswith(f"did you mean {suggested} ("), info.value.hint


def suggested_ids(hint: str) -> list[list[str]]:
    """The source ids of each suggestion of a refusal's ``hint`` ("did you mean Soufan
    (soufan-2015, ...); zelin-2012? ..."): the ids in its closing parentheses, else its name."""
    ids = {s["source_id"] for s in SOURCES}
    if not hint.startswith("did you mean "):
        return []
    out = []
    for suggestion in hint.removeprefix("did you mean ").split("? ")[0].split("; "):
        inner = suggestion.rsplit(" (", 1)[-1].removesuffix(")").split(", ")
        out.append(inner if set(inner) <= ids else [suggestion])
        assert set(out[-1]) <= ids, (hint, suggestion)
    return out


def misspellings() -> list[str]:
    """Each id, label and producer word of every source with one inner letter dropped."""
    names = {"Soufn"}
    for source in SOURCES:
        for name in [source["source_id"], label_of(source) or "", *source["producer"].split()]:
            if len(name) >= 4:
                names.add(name[: len(name) // 2] + name[len(name) // 2 + 1 :])
    return sorted(names)


def test_a_misspelt_source_is_suggested_once() -> None:
    """Every source in the suggestions for a near miss is suggested once ("Soufn" gives
    Soufan and its sources, not Soufan then soufan-2015 again), and a word that says who a
    producer is ("the document's author") is no suggestion."""
    refused = 0
    for typed in misspellings():
        try:
            find_sources(typed)
        except UnknownNameError as error:
            refused += 1
            hint = str(error.hint)
            given = [i for ids in suggested_ids(hint) for i in ids]
            assert len(given) == len(set(given)), (typed, hint)
            assert "author" not in hint.split("?")[0].lower(), (typed, hint)
    assert refused > 20


@pytest.mark.parametrize("typed", ["", "   ", "2015", "the", "of the", "xyzzy", 2015, None])
def test_what_names_no_source_is_refused(typed: object) -> None:
    with pytest.raises(UnknownNameError):
        find_sources(typed)  # type: ignore[arg-type]


def test_the_cli_takes_the_same_names_and_refuses_in_one_line(capsys) -> None:
    args = ["show", "country_estimates", "--country", "UK", "--format", "csv"]
    assert main([*args, "--source", "ICSR", "--columns", "source_id"]) == 0
    shown = capsys.readouterr().out.split()[1:]
    assert set(shown) == set(ffdata.provenance("UK", source="ICSR")["source_id"])
    assert main([*args, "--source", "Soufan 2015", "--columns", "source_id"]) == 0
    assert set(capsys.readouterr().out.split()[1:]) == {"soufan-2015"}
    assert main([*args, "--source", "Sufan"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: unknown source: 'Sufan'")
    assert "did you mean Soufan" in err and "Traceback" not in err
