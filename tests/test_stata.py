"""The release's Stata files as Stata users read them: variable labels of whole words within
Stata's 80 characters, booleans as value-labelled bytes, and labels that are true of the
release. Read back with pandas (``pd.read_stata``, ``StataReader``)."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

import ffdata
from ffdata.builder.tools.stata import BOOLEAN_LABELS, LABEL_CHARS, short_label, stata_bytes
from ffdata.tables import TABLES


def read_back(name: str) -> tuple[pd.DataFrame, dict[str, str], dict[str, dict]]:
    """Table ``name`` written as a .dta and read back: raw codes, variable and value labels."""
    with pd.io.stata.StataReader(io.BytesIO(stata_bytes(ffdata.load(name), name))) as reader:
        data = reader.read(convert_categoricals=False)
        return data, reader.variable_labels(), reader.value_labels()


def ends_at_a_word(label: str, description: str) -> bool:
    """True when ``label`` is ``description`` on one line, or its whole words up to a word's
    end followed by "..."."""
    whole = " ".join(description.split())
    if label == whole:
        return True
    kept = label.removesuffix("...")
    return (
        label.endswith("...")
        and whole.startswith(kept)
        and kept[-1:].strip() != ""
        and not whole[len(kept)].isalnum()
    )


@pytest.mark.parametrize("name", list(TABLES))
def test_every_variable_label_is_whole_words_within_80_characters(name: str) -> None:
    _, labels, _ = read_back(name)
    table = TABLES[name]
    assert set(labels) == {c.name for c in table.columns}
    for column in table.columns:
        label = labels[column.name]
        assert 0 < len(label) <= LABEL_CHARS, (name, column.name, label)
        assert ends_at_a_word(label, column.description), (name, column.name, label)


def test_a_long_label_is_cut_after_a_word_without_dangling_punctuation() -> None:
    text = "Point figure as printed; empty when the source prints a range."
    assert short_label(text, 30) == "Point figure as printed..."
    assert short_label(text, 80) == text
    assert short_label("a " * 50 + "end", 20) == "a a a a a a a a a..."  # 20 characters
    assert short_label("x" * 100, 10) == "xxxxxxx..."  # one word longer than the limit
    assert short_label(" two\n lines ", 80) == "two lines"


def test_booleans_are_bytes_labelled_no_and_yes() -> None:
    booleans = [
        (name, column.name)
        for name, table in TABLES.items()
        for column in table.columns
        if column.type == "boolean"
    ]
    assert ("sources", "second_hand") in booleans
    for name, column in booleans:
        data, _, values = read_back(name)
        assert data[column].dtype == "int8", (name, column)
        assert values[column] == dict(enumerate(BOOLEAN_LABELS)) == {0: "no", 1: "yes"}
        loaded = ffdata.load(name)[column]
        assert data[column].tolist() == loaded.astype(int).tolist()
        labelled = pd.read_stata(io.BytesIO(stata_bytes(ffdata.load(name), name)))[column]
        assert labelled.astype(str).tolist() == loaded.map({False: "no", True: "yes"}).tolist()


def test_a_missing_boolean_stays_missing() -> None:
    frame = ffdata.load("sources").head(2).copy()
    frame.loc[frame.index[0], "second_hand"] = pd.NA
    back = pd.read_stata(io.BytesIO(stata_bytes(frame, "sources")), convert_categoricals=False)
    assert pd.isna(back["second_hand"].iloc[0])
    assert back["second_hand"].iloc[1] == int(frame["second_hand"].iloc[1])


def test_the_file_label_names_the_folder_of_the_release_that_holds_the_documents(
    release_folder,
) -> None:
    with pd.io.stata.StataReader(release_folder / "data" / "stata" / "documents.dta") as reader:
        data = reader.read()
        label = reader.variable_labels()["file"]
    folders = re.findall(r"([\w/]+)/<file> in a release", label)
    assert folders, label
    for file in data["file"]:
        assert (release_folder / folders[0] / file).is_file(), (label, file)
    assert not (release_folder / "data" / "raw").exists()
