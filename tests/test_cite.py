"""cite() and CITATION.cff: every producer credited with the documents and data files their
figures were read from, just those behind a table, a country or a figure, in valid BibTeX
with no review notes; the version cited is released or says it is not."""

from __future__ import annotations

import json
import re
import tomllib

import bibtexparser
import pandas as pd
import pytest
import yaml
from bibtexparser.bparser import BibTexParser
from support import RAW, ROOT

import ffdata
from ffdata import citation
from ffdata.builder.tools.citation_file import citation_cff
from ffdata.builder.tools.dataset_metadata import release_date
from ffdata.citation import bibliographic_name, bibtex_key, sources_behind
from ffdata.errors import UnknownNameError
from ffdata.registry import REPOSITORY_URL, known_releases

#: LaTeX specials that must be escaped inside a field (a backslash before them).
_SPECIAL = re.compile(r"(?<!\\)[&%#$_]")


def parse_bibtex(text: str) -> dict[str, dict[str, str]]:
    """A strict reader of the BibTeX that cite() writes: key -> fields, or AssertionError.

    Every entry is ``@type{key,`` then ``name = {value}`` fields separated by commas and a
    closing brace; braces balance inside each value; keys are unique; a year is four digits;
    no unescaped LaTeX special outside a url.
    """
    entries: dict[str, dict[str, str]] = {}
    pos = 0
    while True:
        start = text.find("@", pos)
        if start == -1:
            assert not text[pos:].strip(), f"text outside an entry: {text[pos:]!r}"
            return entries
        assert not text[pos:start].strip(), f"text between entries: {text[pos:start]!r}"
        head = re.compile(r"@(\w+)\{([A-Za-z0-9_:-]+),\s*").match(text, start)
        assert head, f"bad entry head at {text[start : start + 40]!r}"
        assert head.group(1) in ("misc", "article", "book", "techreport", "online")
        key, pos, fields = head.group(2), head.end(), {}
        assert key not in entries, f"key {key} twice"
        while True:
            field = re.compile(r"(\w+)\s*=\s*\{").match(text, pos)
            assert field, f"{key}: bad field at {text[pos : pos + 40]!r}"
            depth, i = 1, field.end()
            while depth:
                assert i < len(text), f"{key}: unbalanced braces in {field.group(1)}"
                if text[i] == "\\":
                    i += 2
                    continue
                depth += {"{": 1, "}": -1}.get(text[i], 0)
                i += 1
            name, value = field.group(1), text[field.end() : i - 1]
            assert name not in fields, f"{key}: field {name} twice"
            fields[name] = value
            rest = re.compile(r"\s*(,\s*)?").match(text, i)
            pos = rest.end()
            if text.startswith("}", pos):
                pos += 1
                break
            assert rest.group(1), f"{key}: missing comma after {name}"
        if "year" in fields:
            assert re.fullmatch(r"\d{4}", fields["year"]), f"{key}: year {fields['year']!r}"
        for name, value in fields.items():
            if name != "url":
                assert not _SPECIAL.search(value), f"{key}.{name}: unescaped special in {value!r}"
        entries[key] = fields


def test_the_checker_refuses_what_bibtex_rejects():
    good = "@misc{a,\n  title = {x \\& y},\n  year = {2015}\n}"
    assert parse_bibtex(good) == {"a": {"title": "x \\& y", "year": "2015"}}
    for bad in (
        good.replace("2015", "n.d."),
        good.replace("\\&", "&"),
        good.replace("{x", "{{x"),
        good + "\n" + good,
        good.replace(",\n  year", "\n  year"),
    ):
        with pytest.raises(AssertionError):
            parse_bibtex(bad)


#: Fields every entry of a type must have: each tuple is one of which at least one is given.
#: BibTeX's @misc requires no field; ours name the work (an unnamed producer: no author).
REQUIRED = {"misc": [("title", "howpublished")]}


def valid_bibtex(text: str) -> dict[str, dict[str, str]]:
    """The entries of ``text`` (key -> fields), checked by bibtexparser and by
    :func:`parse_bibtex`: every entry parses, keys unique, the fields its type requires, braces
    balanced, no ``note``."""
    parser = BibTexParser(common_strings=False)
    parser.ignore_nonstandard_types = False
    parsed = bibtexparser.loads(text, parser).entries
    heads = re.findall(r"(?m)^@(\w+)\{([^,\s]+),", text)
    assert [(e["ENTRYTYPE"], e["ID"]) for e in parsed] == heads, "an entry did not parse"
    keys = [e["ID"] for e in parsed]
    assert len(keys) == len(set(keys)), f"a key twice: {keys}"
    for entry in parsed:
        fields = {k: v for k, v in entry.items() if k not in ("ENTRYTYPE", "ID")}
        for one_of in REQUIRED[entry["ENTRYTYPE"]]:
            assert any(fields.get(f) for f in one_of), f"{entry['ID']}: none of {one_of}"
        assert "note" not in fields and "annote" not in fields, f"{entry['ID']}: a note"
        for name, value in fields.items():
            depth = 0
            for char in re.sub(r"\\.", "", value):
                depth += {"{": 1, "}": -1}.get(char, 0)
                assert depth >= 0, f"{entry['ID']}.{name}: unbalanced braces"
            assert depth == 0, f"{entry['ID']}.{name}: unbalanced braces"
    strict = parse_bibtex(text)
    assert list(strict) == keys
    return strict


def test_the_bibtex_check_refuses_a_broken_entry_a_key_twice_a_missing_field_and_a_note():
    good = "@misc{a,\n  author = {{X}},\n  title = {x \\& y},\n  year = {2015}\n}"
    assert set(valid_bibtex(good)) == {"a"}
    for bad in (
        good.replace("{{X}}", "{{X}"),
        good + "\n\n" + good,
        good.replace("title", "journal"),
        good.replace("year", "note"),
    ):
        with pytest.raises(AssertionError):
            valid_bibtex(bad)


def _source_ids_declared() -> list[str]:
    """The source ids sources.toml declares (read as text: the input, not the output)."""
    with open(RAW / "sources.toml", "rb") as handle:
        return [s["source_id"] for s in tomllib.load(handle)["sources"]]


def _cff() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_every_source_and_document_reaches_the_text_the_bibtex_and_citation_cff():
    declared = _source_ids_declared()
    assert sorted(declared) == sorted(ffdata.load("sources").source_id)
    documents = set(ffdata.load("sources").document_id)
    references = [
        r["id"] for r in json.loads((ROOT / "datapackage.json").read_text())["reference_data"]
    ]
    everything = {*declared, *documents, *references}
    text = ffdata.cite()
    assert set(re.findall(r"\[([a-z0-9-]+)\]$", text, flags=re.M)) == everything
    entries = valid_bibtex(ffdata.cite("bibtex"))
    assert set(entries) == {"ffdata", *(bibtex_key(k) for k in everything)}
    cited = [r["identifiers"][0]["value"] for r in _cff()["references"]]
    assert sorted(cited) == sorted(everything)
    assert entries["soufan_2015"]["year"] == "2015"
    assert entries["icsr_2013_12"]["year"] == "2013"
    assert "year" not in entries["atlantic_uighurs"]  # no date known: no year, never n.d.
    assert entries["ffdata"]["author"] == "{ffdata contributors}"


def test_each_entrys_year_is_the_year_its_published_date_ends_in():
    """A date of a span ("2010/2011", "2011/2013-12") is cited by its last year; no
    published_date, no year."""
    entries = valid_bibtex(ffdata.cite("bibtex"))
    dated = [
        *ffdata.load("sources")[["source_id", "published_date"]].itertuples(index=False),
        *ffdata.load("documents")[["document_id", "published_date"]].itertuples(index=False),
    ]
    spans = 0
    for key, published in dated:
        years = re.findall(r"\d{4}", "" if pd.isna(published) else published)
        assert entries[bibtex_key(key)].get("year") == (years[-1] if years else None), key
        spans += len(set(years)) > 1
    assert spans  # the rule is exercised


def test_a_producer_is_cited_as_one_organisation_never_as_a_persons_names():
    """BibTeX braces a source's producer whole ("{The Soufan Group}", never a family name
    "Group"); CITATION.cff names it, never given- and family-names; a data file (a CSV) and
    reference data are of type data."""
    entries = valid_bibtex(ffdata.cite("bibtex"))
    sources = ffdata.load("sources")
    named = [(s, p) for s, p in zip(sources.source_id, sources.producer, strict=True) if p]
    for source_id, producer in named:
        if bibliographic_name(producer):
            author = entries[bibtex_key(source_id)]["author"]
            assert author.startswith("{") and author.endswith("}"), (source_id, author)
    references = {r["identifiers"][0]["value"]: r for r in _cff()["references"]}
    for source_id, producer in named:
        name = bibliographic_name(producer) or "Unnamed"
        assert references[source_id]["authors"] == [{"name": name}], source_id
    documents = ffdata.load("documents")
    urls = documents.url.fillna(documents.url_found_online)
    csvs = [
        d for d, url in zip(documents.document_id, urls, strict=True) if str(url).endswith(".csv")
    ]
    assert csvs  # the rule is exercised
    assert all(references[d]["type"] == "data" for d in csvs)


def test_reference_data_is_cited_with_the_commit_of_its_copy():
    """Populations and regions are read from one commit of a repository: every citation
    of them names it (text, BibTeX, CITATION.cff)."""
    references = json.loads((ROOT / "datapackage.json").read_text())["reference_data"]
    assert references
    text, entries = ffdata.cite(), valid_bibtex(ffdata.cite("bibtex"))
    cff = {r["identifiers"][0]["value"]: r for r in _cff()["references"]}
    for ref in references:
        line = next(x for x in text.splitlines() if x.endswith(f"[{ref['id']}]"))
        assert f"(commit {ref['commit']})" in line, line
        assert ref["commit"] in entries[bibtex_key(ref["id"])]["howpublished"]
        assert cff[ref["id"]]["commit"] == ref["commit"]


def test_citations_carry_no_review_notes():
    """Neither a source's nor a document's note reaches a citation, nor a 'see note'."""
    text, bib, cff = ffdata.cite(), ffdata.cite("bibtex"), (ROOT / "CITATION.cff").read_text()
    notes = [*ffdata.load("sources").note.dropna(), *ffdata.load("documents").note.dropna()]
    assert notes
    for note in notes:
        start = note[:50]
        assert start not in text and start not in bib and start not in cff, start
    for cited in (text, bib, cff):
        assert "see note" not in cited.lower()


def _behind(iso3: str) -> tuple[set[str], set[str]]:
    """(producers, document authors) of the figures about ``iso3``, read from the tables."""
    ids = set()
    for name in ("country_estimates", "aggregate_figures"):
        rows = ffdata.load(name, columns=["iso3", "source_id"])
        ids |= set(rows.loc[rows.iso3 == iso3, "source_id"])
    sources = ffdata.load("sources").set_index("source_id").loc[sorted(ids)]
    docs = ffdata.load("documents").set_index("document_id").loc[sorted(set(sources.document_id))]
    authors = {a.strip() for cell in docs.author.dropna() for a in cell.split(";")}
    producers = {bibliographic_name(p) for p in sources.producer} - {None}
    return producers, {bibliographic_name(a) for a in authors}


def _countries_to_check() -> list[str]:
    """The UK and, for every source of per-country estimates, one country it gives."""
    estimates = ffdata.load("country_estimates", columns=["iso3", "source_id"])
    return sorted({"GBR", *estimates.groupby("source_id").iso3.min()})


@pytest.mark.parametrize("iso3", _countries_to_check())
def test_a_countrys_citation_credits_the_producers_and_the_documents_of_its_figures(iso3):
    producers, authors = _behind(iso3)
    text, bib = ffdata.cite(country=iso3), ffdata.cite("bibtex", country=iso3)
    entries = valid_bibtex(bib)
    named = " ".join(fields.get("author", "") for fields in entries.values())
    for who in producers:
        assert who in text and who.replace("&", "\\&") in named, who
    for who in authors:
        assert who in text and who in named, who


def test_the_uk_is_credited_to_icsr_and_to_derpanopoulos_and_sonnet():
    """Their CC BY 3.0 copy supplies the UK's ICSR figures (the sources' document)."""
    sources = ffdata.load("sources").set_index("source_id")
    estimates = ffdata.load("country_estimates")
    uk = set(estimates.loc[estimates.iso3 == "GBR", "source_id"])
    copied = {s for s in uk if sources.loc[s, "document_id"] == "icsr-foreign-fighters-copy"}
    assert copied == {"icsr-2013-12", "icsr-2015-01"}
    text, bib = ffdata.cite(country="UK"), ffdata.cite("bibtex", country="UK")
    for cited in (text, bib):
        assert (
            "Study of Radicalisation, King" in cited
            and "Derpanopoulos" in cited
            and "Sonnet" in cited
        )
    assert "Licence CC-BY-3.0" in text
    assert valid_bibtex(bib)["icsr_foreign_fighters_copy"]["author"] == (
        "Gabriel Derpanopoulos and Luke Sonnet"
    )


def test_cite_a_country_without_figures_is_refused_pointing_to_compare():
    """A country no figure is about has no source to cite: the refusal says so and where to
    see why (compare), never an empty citation."""
    with_figures = set(ffdata.load("country_estimates")["iso3"]) | set(
        ffdata.load("aggregate_figures")["iso3"].dropna()
    )
    every_country = set(ffdata.load("country_names")["iso3"])  # all of ISO 3166-1
    iso3 = sorted(every_country - with_figures)[0]
    with pytest.raises(UnknownNameError, match="no source to cite") as info:
        ffdata.cite(country=iso3)
    assert f"ffdata.compare({iso3!r})" in str(info.value.hint)
    assert ffdata.compare(iso3)["row_kind"].eq("not_listed").all()


def test_cite_a_country_lists_exactly_the_sources_with_its_figures():
    estimates = ffdata.load("country_estimates")
    uk = set(estimates.loc[estimates.iso3 == "GBR", "source_id"])
    assert uk
    text = ffdata.cite(country="UK")
    sources_part = text.split("Documents and data files")[0]
    assert re.findall(r"\[([a-z0-9-]+)\]$", sources_part, flags=re.M) == sorted(uk)
    documents = set(ffdata.load("sources").set_index("source_id").loc[sorted(uk)].document_id)
    assert set(valid_bibtex(ffdata.cite("bibtex", country="GBR"))) == {
        "ffdata",
        *(bibtex_key(s) for s in uk | documents),
        "worldbank_population",  # the populations of its per-million rates
    }
    # a country's aggregate figures count too (Syria has no estimate, figures about it)
    figures = ffdata.load("aggregate_figures")
    for iso3 in ("SYR", "USA"):
        behind = set(figures.loc[figures.iso3 == iso3, "source_id"])
        behind |= set(estimates.loc[estimates.iso3 == iso3, "source_id"])
        assert sources_behind(country=iso3) == behind != set(), iso3


def test_cite_a_table_or_a_figure():
    assert sources_behind(table="country_estimates") == set(
        ffdata.load("country_estimates").source_id
    )
    assert sources_behind(table="countries") == set()
    assert "holds no figures of the sources" in ffdata.cite(table="countries")
    assert sources_behind(table="sources") is None
    assert sources_behind(figure="un-2014-foreign-fighters") == {"un-2014"}
    entries = valid_bibtex(ffdata.cite("bibtex", figure="un-2014-foreign-fighters"))
    assert set(entries) == {"ffdata", "un_2014", "niu_2018_foreigners_in_is"}


def test_a_released_version_is_cited_by_its_archive(monkeypatch):
    monkeypatch.setattr(citation, "known_releases", lambda: {ffdata.__version__: "ab" * 32})
    text, bib = ffdata.cite(), valid_bibtex(ffdata.cite("bibtex"))
    name = f"ffdata-data-{ffdata.__version__}.zip"
    assert f"(version {ffdata.__version__}) [Data set]. Release archive {name}" in text
    assert "ab" * 32 in text and "ab" * 32 in bib["ffdata"]["howpublished"]
    assert "unreleased" not in text.lower() and "releases/download" not in text


@pytest.mark.parametrize("commit", ["c0ffee" * 6 + "c0ff", None])
def test_an_unreleased_version_says_so_and_to_cite_the_commit(monkeypatch, commit):
    monkeypatch.setattr(citation, "known_releases", dict)
    monkeypatch.setattr(citation, "checkout_commit", lambda: commit)
    text, bib = ffdata.cite(), valid_bibtex(ffdata.cite("bibtex"))
    first = text.splitlines()[0]
    assert f"(version {ffdata.__version__}, unreleased)" in first
    assert "no release archive; cite the commit" in first
    assert (commit or "git rev-parse HEAD") in first
    assert bib["ffdata"]["howpublished"].startswith("Unreleased")
    assert "releases/download" not in text + str(bib)


def test_the_version_cited_now_is_released_or_marked_unreleased():
    """No address where nothing was uploaded: the registry knows it, or the text says so."""
    released = ffdata.__version__ in known_releases()
    first = ffdata.cite().splitlines()[0]
    assert ("Release archive" in first) == released != ("unreleased" in first)
    if released:
        assert (ROOT / "releases" / f"ffdata-data-{ffdata.__version__}.zip").is_file()


def test_citation_cff_is_what_make_data_writes_from_cites_declarations():
    assert (ROOT / "CITATION.cff").read_text(encoding="utf-8") == citation_cff(ROOT)
    cff = _cff()
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert cff["date-released"] == release_date(changelog, ffdata.__version__)
    assert cff["repository-code"] == REPOSITORY_URL
    assert cff["title"] == citation.TITLE and cff["version"] == ffdata.__version__
    assert cff["authors"] == [{"name": citation.AUTHORS}]
    copy = next(r for r in cff["references"] if r["identifiers"][0]["value"].endswith("-copy"))
    assert [a["family-names"] for a in copy["authors"]] == ["Derpanopoulos", "Sonnet"]
    assert copy["license"] == "CC-BY-3.0"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"country": "England"}, "part of United Kingdom"),
        ({"country": "Chad"}, r"no figures for 'Chad' \(TCD\)"),
        ({"figure": "no-such-figure"}, r"\d+ valid choices: ffdata.load"),
        ({"table": "estimates"}, "did you mean"),
        ({"table": "sources", "country": "UK"}, "give one of table, country or figure"),
        ({"format": "apa"}, "unknown citation format 'apa'"),
    ],
)
def test_cite_refusals(kwargs, message):
    with pytest.raises(UnknownNameError, match=message):
        ffdata.cite(**kwargs)


def test_the_release_credits_what_cite_credits(release_folder):
    """LICENSES/SOURCES.md lists every credit (sources, documents, reference data), and the
    release's CITATION.cff is the checkout's."""
    credited = (release_folder / "LICENSES" / "SOURCES.md").read_text(encoding="utf-8")
    keys = re.findall(r"\[`([a-z0-9-]+)`\]$", credited, flags=re.M)
    assert keys == [c.key for c in citation.credits()]
    assert "Gabriel Derpanopoulos and Luke Sonnet" in credited
    cff = (release_folder / "CITATION.cff").read_text(encoding="utf-8")
    assert cff == (ROOT / "CITATION.cff").read_text(encoding="utf-8")


# --- credits: the right people for the right work --------------------------------------------


def _everything_cited() -> tuple[dict[str, dict[str, str]], dict[str, dict]]:
    """(BibTeX entries, CITATION.cff references by id) of the whole package."""
    cff = {r["identifiers"][0]["value"]: r for r in _cff()["references"]}
    return valid_bibtex(ffdata.cite("bibtex")), cff


def test_no_author_or_publisher_carries_a_parenthetical_description():
    """A producer's, author's or publisher's parentheses are reviewer's descriptions
    ("(the document's author)", "(not named)"): a citation gives the name only, and an
    unnamed producer no author (its text citation starts with its title or report)."""
    entries, cff = _everything_cited()
    for key, fields in entries.items():
        assert "(" not in fields.get("author", ""), (key, fields["author"])
    documents = [bibtex_key(d) for d in ffdata.load("documents").document_id]
    for key in documents:
        assert "(" not in entries[key].get("howpublished", ""), key  # the publisher
    for key, reference in cff.items():
        names = [a.get("name", "") + a.get("family-names", "") for a in reference["authors"]]
        names.append(reference.get("publisher", {}).get("name", ""))
        assert not any("(" in n for n in names), (key, names)
    sources = ffdata.load("sources")
    unnamed = [
        s
        for s, p in zip(sources.source_id, sources.producer, strict=True)
        if not bibliographic_name(p)
    ]
    assert unnamed  # the rule is exercised
    assert all("author" not in entries[bibtex_key(s)] for s in unnamed)
    found = re.findall(r"^- (.*) \[([a-z0-9-]+)\]$", ffdata.cite(), flags=re.M)
    lines = {key: line for line, key in found}
    for s in unnamed:
        assert lines[s].startswith(('"', "Reported in: ")), lines[s]


def test_a_second_hand_sources_producer_is_never_the_author_of_the_cited_title():
    """The title of a second-hand source is that of the report citing its producer: the
    entry names no title, and gives the report (as printed) after "reported in"."""
    entries, cff = _everything_cited()
    sources = ffdata.load("sources")
    second = sources[sources.second_hand & sources.title.notna()]
    assert len(second)  # the rule is exercised
    for row in second.itertuples():
        entry = entries[bibtex_key(row.source_id)]
        assert "title" not in entry, row.source_id
        assert row.title not in cff[row.source_id]["title"], row.source_id
        assert "reported in: " in entry["howpublished"], row.source_id
        assert row.title in entry["howpublished"] or row.title in row.citation_as_printed


def test_every_country_with_per_capita_rates_credits_the_population_data():
    """cite(country=X) and cite(table=T) credit the reference data used for the rows they
    cite (datapackage.json's used_for), e.g. the populations behind per-million rates."""
    references = json.loads((ROOT / "datapackage.json").read_text())["reference_data"]
    rates = ffdata.load("country_estimates")
    columns = [c for c in rates.columns if c.endswith("_per_million")]
    assert columns  # the rule is exercised
    behind = [r["id"] for r in references if "country_estimates" in r["used_for"]]
    assert behind
    countries = sorted(set(rates.loc[rates[columns].notna().any(axis=1), "iso3"]))
    assert countries
    for iso3 in countries:
        text = ffdata.cite(country=iso3)
        assert all(f"[{ref}]" in text for ref in behind), iso3
    entries = valid_bibtex(ffdata.cite("bibtex", table="country_estimates"))
    assert all(bibtex_key(ref) in entries for ref in behind)


def test_a_source_printed_outside_its_documents_own_text_is_not_credited_to_it():
    """A document whose file holds other texts too (documents.main_text_lines): a source
    printed outside those lines (sources.line) is read from the page, not the article."""
    documents = ffdata.load("documents").set_index("document_id")
    ranged = documents.main_text_lines.dropna()
    assert len(ranged)  # the rule is exercised
    entries = valid_bibtex(ffdata.cite("bibtex"))
    sources = ffdata.load("sources")
    outside = 0
    for row in sources[sources.document_id.isin(ranged.index)].itertuples():
        first, last = map(int, ranged[row.document_id].split("-"))
        assert 1 <= first <= last <= documents.lines[row.document_id], row.document_id
        said = "outside the article" in entries[bibtex_key(row.source_id)]["howpublished"]
        assert said == (not first <= row.line <= last), row.source_id
        outside += said
    assert outside
