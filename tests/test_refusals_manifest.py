"""Refusals of the raw folder and its manifest: every file the manifest lists is pinned (a
change not re-pinned is refused) and confined (a link to outside is refused); a malformed
manifest is refused at its line; the pin tool refuses what the build could not read."""

from __future__ import annotations

import re

import pytest
from refusals import (
    CODES,
    DOC,
    ICSR,
    ICSR_PROVENANCE,
    POPULATION,
    RAW,
    Case,
    accepted,
    both,
    corpus_test,
    edit,
    link_outside,
    nested,
    refused,
    rewrite,
)

from ffdata.errors import ChecksumError, FfdataError, ManifestError, ReviewedInputError

M = "manifest.toml"
MANIFEST = (RAW / M).read_text(encoding="utf-8")
#: Every file the manifest pins (documents, references and their provenance, reviewed files).
LISTED = re.findall(r'(?m)^(?:provenance_)?file = "(.+)"\n(?:provenance_)?sha256 = ', MANIFEST)
REVIEWED = ("sources.toml", "figures.toml", "not_figures.toml")
#: A change a maintainer might make to a listed file; others get a line appended.
CHANGES = {
    "sources.toml": ('producer = "The Soufan Group"', 'producer = "The Soufan Groupe"'),
    "figures.toml": ("producer = ", "producer = 'X' #"),
    "not_figures.toml": ('reason = "', 'reason = "Changed: '),
    "country_aliases.csv": ("U.K.,GBR", "U.K.,USA"),
    "country_parts.csv": ("England,GBR", "England,FRA"),
    POPULATION: ("Tunisia,TUN,2015,", "Tunisia,TUN,2015,1"),
    CODES: ("Tunisia", "Tunisie"),
    ICSR: ("afghanistan,AFG,20131217,12,23,17.5", "afghanistan,AFG,20131217,12,230,121"),
    ICSR_PROVENANCE: ("ICSR", "ICRS"),
    DOC: ("1\tTunisia\t6000", "1\tTunisia\t9000"),
}
PIN_HINT = "python -m ffdata.builder.tools.pin"
FILE_0 = 'file = "000_8e0687df2c6dbefb.txt"'
DOC_SHA256 = re.search(rf'file = "{DOC}"\nsha256 = "(\w+)"', MANIFEST).group(1)


#: A byte of the manifest's third line, where :func:`not_utf8` puts a byte that is not UTF-8.
NOT_UTF8_AT = MANIFEST.index("\n", MANIFEST.index("\n") + 1) + 5


def not_utf8(raw) -> None:
    data = (raw / M).read_bytes()
    (raw / M).write_bytes(data[:NOT_UTF8_AT] + b"\xff" + data[NOT_UTF8_AT:])


def unpinned(file: str):
    """Remove a reviewed file's entry from the manifest."""

    def change(text: str) -> str:
        block = re.search(rf'\[\[reviewed\]\]\nreviewed_id = "[^"]+"\nfile = "{file}"[^\[]*', text)
        return text.replace(block.group(0), "")

    return rewrite(M, change)


def at_line(old: str, new: str, *says: str, error: type = ManifestError, line_of: str = ""):
    """A manifest line changed: refused at that line (or at the line holding ``line_of``)."""
    shift = -1 if line_of.startswith("document_id") else 0

    def check(ws, message: str) -> str | None:
        lines = (ws.raw / M).read_text(encoding="utf-8").split("\n")
        line = next(n for n, text in enumerate(lines, 1) if (line_of or new) in text) + shift
        return None if f"{M}:{line}" in message else f"not at {M}:{line}"

    return refused(edit(M, old, new), error, *says, check=check)


def repin_with_the_tool(ws) -> None:
    from ffdata.builder.tools.pin import main

    assert main(["--raw-dir", str(ws.raw), "figures.toml"]) == 0


def repinned_producer_published(ws, out: str) -> str | None:
    csv = (ws.out / "data" / "processed" / "aggregate_figures.csv").read_text(encoding="utf-8")
    return None if "Renamed producer" in csv else "re-pinned change not published"


CASES = {
    **{
        f"{file} changed without re-pinning": refused(
            edit(file, *CHANGES[file], pin=False)
            if file in CHANGES
            else rewrite(file, lambda t: t + "\n", pin=False),
            ReviewedInputError if file in REVIEWED else ChecksumError,
            file.rsplit("/", 1)[-1],
            "sha256",
            PIN_HINT,
            at_line=False,
        )
        for file in LISTED
    },
    "a document changed without re-pinning names its pinned sha256": refused(
        edit(DOC, "6000", "6001", pin=False),
        ChecksumError,
        f"{DOC}: sha256 differs from the manifest",
        DOC_SHA256,
        at_line=False,
    ),
    **{
        f"{file} linked from outside": refused(
            link_outside(file),
            ReviewedInputError if file in REVIEWED else ManifestError,
            f"{file} is a link to outside the raw folder" if file in REVIEWED else "outside",
            at_line=False,
        )
        for file in (*LISTED, M, "reference")
    },
    "raw folder itself is a link (accepted)": accepted(
        lambda ws: (
            ws.raw.rename(ws.raw.with_name("real-raw")),
            ws.raw.symlink_to(ws.raw.with_name("real-raw")),
        )
    ),
    **{
        f"{file} pin removed from the manifest": refused(
            unpinned(file), ReviewedInputError, f"{file} is not pinned", at_line=False
        )
        for file in REVIEWED
    },
    "re-pinned change to a figure's producer is published": accepted(
        both(
            edit("figures.toml", 'producer = "', 'producer = "Renamed producer" #', pin=False),
            repin_with_the_tool,
        ),
        check=repinned_producer_published,
    ),
    "manifest not UTF-8: its line and byte": refused(
        lambda ws: not_utf8(ws.raw),
        ManifestError,
        f"{M}:3: not UTF-8 (invalid start byte at byte {NOT_UTF8_AT})",
        "hint: save manifest.toml as UTF-8",
    ),
    "manifest: size as text": at_line("size = 10229", 'size = "10229"'),
    "manifest: size as text (first entry)": at_line("size = 8925", 'size = "8925"'),
    **{
        f"manifest: size {label}": at_line("size = 8925", new)
        for label, new in (("negative", "size = -8925"), ("huge", "size = 99999999999999999"))
    },
    "manifest: unknown field": at_line('author = "Song Niu"', 'autor = "Song Niu"', "autor"),
    "manifest: missing field, at its entry": at_line(
        'author = "Song Niu"\n', "", "author", line_of='document_id = "niu-2018-foreigners-in-is"'
    ),
    "manifest: sha256 not hex": at_line('sha256 = "96c4', 'sha256 = "XYZ'),
    "manifest: sha256 in upper case": at_line(
        DOC_SHA256, DOC_SHA256.upper(), "64 lower-case hex digits", line_of=DOC_SHA256.upper()
    ),
    "manifest: path outside": at_line(f'file = "{DOC}"', f'file = "../{DOC}"'),
    "manifest: file listed twice": at_line(
        'file = "001_681282505068cf96.txt"', FILE_0, line_of='document_id = "milton-ubaydi-hotel'
    ),
    "manifest: published_date not ISO": at_line(
        'published_date = "2015-11-16"', 'published_date = "16/11/2015"'
    ),
    "manifest: published_date not a calendar date": at_line(
        'published_date = "2015-11-16"',
        'published_date = "2015-11-31"',
        "published_date '2015-11-31' is not a valid date",
        "003_9aa05a10f4782776.txt",
    ),
    "manifest: documents not a list": refused(
        edit(M, "[[documents]]", "[documents.x]"), ManifestError, M
    ),
    "manifest: references a number": refused(
        edit(M, "[[references]]\nreference_id", "references = 5\n[[references2]]\nreference_id"),
        ManifestError,
        M,
    ),
    "manifest: file a list": at_line(FILE_0, 'file = ["000_8e0687df2c6dbefb.txt"]'),
    "manifest: a 300-character file name": at_line(FILE_0, f'file = "{"a" * 300}.txt"'),
    "manifest: a 5,000-character path": at_line(FILE_0, f'file = "{"a/" * 2500}x.txt"'),
    "manifest: a NUL in a path": at_line(FILE_0, 'file = "000\\u0000.txt"'),
    "manifest: a path naming a folder": at_line(
        FILE_0, 'file = "reference"', "'reference'", "missing (or is not a file)"
    ),
    "manifest: carriage return in a note": at_line(
        'note = "Title at line 3', 'note = "Title\\rat line 3', "control character"
    ),
    "manifest: nested 5,000 deep": refused(nested(M, "[", "", "]", 5000), ManifestError, M),
    "manifest: inline tables nested 3,000 deep": refused(
        nested(M, "{a = ", "1", "}", 3000), ManifestError, M
    ),
    "a document with a printed date has no published_date": refused(
        edit(M, 'published_date = "2019-10-20"\n', ""),
        ManifestError,
        "004_2b2d63c63ac1a506.txt",
        "has no published_date",
    ),
    **{
        f"a document with a printed date has {label} published_date": refused(
            edit(M, 'published_date = "2015-11-16"\n', new),
            FfdataError,
            "names a year, but the entry has no published_date",
            M,
            "(hint: add published_date in ISO 8601",
            check=lambda ws, message: '""' in message.split("(hint: ")[1] and "hint offers empty",
        )
        for label, new in (("no", ""), ("an empty", 'published_date = ""\n'))
    },
    **{
        f"raw folder {label}": refused(
            both(),
            ManifestError,
            "manifest",
            at_line=False,
            argv=lambda ws, f=file: [*Case.argv(ws)[:2], str(ws.raw / f), *Case.argv(ws)[3:]],
        )
        for label, file in (("given is a file", DOC), ("missing", "nope"))
    },
}

test_each_damage_to_the_manifest_or_a_pin_is_refused = corpus_test(__file__, CASES)


def test_every_file_the_manifest_pins_has_a_pin_case_and_a_link_case():
    assert LISTED and set(LISTED) >= set(CHANGES)
    for file in LISTED:
        assert f"{file} changed without re-pinning" in CASES
        assert f"{file} linked from outside" in CASES


# --- the pin tool ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "says"),
    [
        ("nosuch.txt", "no such file in the raw folder (or it is not a file)"),
        ("reference", "no such file in the raw folder (or it is not a file)"),
        ("figures.toml", "file is 2,000,001 bytes; the build reads none larger than 2,000,000"),
        ("manifest not UTF-8", "not UTF-8 (invalid start byte at byte {at})\n  hint: save it"),
    ],
)
def test_the_pin_tool_refuses_what_the_build_could_not_read(raw_copy, capsys, file, says):
    from ffdata.builder.tools import pin

    (raw_copy / "figures.toml").write_bytes(b"#" * 2_000_001)
    if file == "manifest not UTF-8":
        file, says = f"{M}:3", says.format(at=NOT_UTF8_AT)
        not_utf8(raw_copy)
        pin_args = ["figures.toml"]
    else:
        pin_args = [file]
    before = (raw_copy / M).read_bytes()
    assert pin.main(["--raw-dir", str(raw_copy), *pin_args]) == 1
    assert capsys.readouterr().err.startswith(f"error: {raw_copy / file}: {says}")
    assert (raw_copy / M).read_bytes() == before


def test_the_pin_tool_keeps_a_crlf_manifest_readable(raw_copy):
    from ffdata.builder.inputs.manifest import read_manifest
    from ffdata.builder.tools import pin

    (raw_copy / M).write_bytes((raw_copy / M).read_bytes().replace(b"\n", b"\r\n"))
    (raw_copy / "figures.toml").write_bytes(b"# emptied\n")
    assert pin.repin(raw_copy, ["figures.toml"])[0].startswith("figures.toml: size 10 bytes")
    pinned = [e for e in read_manifest(raw_copy).reviewed if e.file == "figures.toml"]
    assert [e.size for e in pinned] == [10]
