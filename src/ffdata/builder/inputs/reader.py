"""One reader of the hand-written inputs: decode, parse, place each entry and field, and
check them against their :class:`~ffdata.builder.inputs.schema.Input`.

Example:
    >>> from ffdata.builder.inputs.schema import INPUTS
    >>> text = '[[not_figures]]\\ndocument = "d.txt"\\nquote = "five to 10 years"\\n' \\
    ...        'number = "10"\\nreason = "a horizon"\\n'
    >>> entry = parse_toml(text, "nf.toml", INPUTS["not_figures"])[0]
    >>> entry["repeats"], str(entry.at("reason"))
    ('', 'nf.toml:5 [[not_figures]] #1')
"""

from __future__ import annotations

import copy
import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ffdata.builder.inputs.schema import CONTROL_CHARACTERS, LAYOUTS, Field, Input
from ffdata.errors import ErrorCollector, FfdataError

#: An entry's label is cut to this many characters in a place.
LABEL_CHARS = 80


@dataclass(frozen=True)
class Place:
    """Where an entry or field is: file, line, ``[[section]]`` and entry number, table, label.

    Example:
        >>> print(Place("figures.toml", 12, "figures", 3, label="fbi-2015"))
        figures.toml:12 [[figures]] #3 (fbi-2015)
    """

    file: str
    line: int | None = None
    section: str | None = None
    number: int | None = None
    table: str | None = None
    label: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.section:
            where += f" [[{self.section}]] #{self.number}"
        if self.table:
            where += f" [{self.table}]"
        if not self.label:
            return where
        label = self.label if len(self.label) <= LABEL_CHARS else self.label[:LABEL_CHARS] + "..."
        return f"{where} ({label})"

    def keywords(self) -> dict[str, Any]:
        """The ``document`` and ``line`` of an error at this place.

        Example:
            >>> Place("aliases.csv", 4).keywords()
            {'document': 'aliases.csv', 'line': 4}
        """
        if self.section is None and self.table is None and self.label is None:
            return {"document": self.file, "line": self.line}
        return {"document": str(self), "line": None}


@dataclass(frozen=True)
class Entry:
    """An entry checked against its schema: ``values``, its ``place`` and each field's line."""

    values: dict[str, Any]
    place: Place
    lines: Mapping[str, int] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def at(self, key: str) -> Place:
        """The place of field ``key`` (dotted inside a table): its line, else its table's.

        Example:
            >>> e = Entry({}, Place("s.toml", 2, "sources", 1), {"country_estimates": 9})
            >>> str(e.at("country_estimates.label"))
            's.toml:9 [[sources]] #1 [country_estimates]'
        """
        parts = key.split(".")
        table = parts[0] if len(parts) > 1 else None
        while parts and ".".join(parts) not in self.lines:
            parts.pop()
        line = self.lines[".".join(parts)] if parts else self.place.line
        return replace(self.place, line=line if self.place.line else None, table=table)


def decode(data: bytes, file: str, error: type[FfdataError], hint: str) -> str:
    """Decode the UTF-8 bytes of ``file``; else ``error`` at the line of the first bad byte.

    Example:
        >>> from ffdata.errors import DocumentError
        >>> decode(b"a\\n\\xff", "t.csv", DocumentError, "save it as UTF-8")
        Traceback (most recent call last):
        ...
        ffdata.errors.DocumentError: t.csv:2: not UTF-8 (invalid start byte at byte 2)
          hint: save it as UTF-8
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(
            f"not UTF-8 ({exc.reason} at byte {exc.start})",
            document=file,
            line=data.count(b"\n", 0, exc.start) + 1,
            hint=hint,
        ) from None


#: Open brackets beyond which a TOML file nests too deeply.
TOML_DEPTH = 50


def _toml_error(exc: Exception, text: str, file: str, error: type[FfdataError]) -> FfdataError:
    """``error`` at the line the parser names, or where nesting passes :data:`TOML_DEPTH`."""
    line = None
    if isinstance(exc, RecursionError):
        reason, depth = "nested too deeply", 0
        for number, printed in enumerate(text.splitlines(), start=1):
            for char in printed:  # brackets in strings count too: a line to look at, not a proof
                depth += (char in "[{") - (char in "]}")
                if depth > TOML_DEPTH and line is None:
                    line = number
    else:
        reason = str(exc)
        found = re.search(r"at line (\d+)", reason)
        line = int(found.group(1)) if found else None
    name = file.replace("\\", "/").rsplit("/", 1)[-1]
    return error(
        f"{name} is not valid TOML ({reason})",
        document=file,
        line=line,
        hint="fix the syntax at that line",
    )


_loads = functools.lru_cache(maxsize=16)(tomllib.loads)

_KEY = re.compile(r"\s*([A-Za-z0-9_-]+)\s*=")
_SUBTABLE = re.compile(r"\s*\[\s*[A-Za-z0-9_-]+\.([A-Za-z0-9_.-]+)\s*\]\s*(?:#.*)?$")


def _field_lines(lines: list[str], header: int) -> dict[str, int]:
    """The line of each key of the entry whose header is at line ``header`` (table keys dotted)."""
    found: dict[str, int] = {}
    prefix = ""
    for number in range(header + 1, len(lines) + 1):
        line = lines[number - 1]
        if line.lstrip().startswith("[["):
            break
        if table := _SUBTABLE.match(line):
            prefix = table.group(1) + "."
            found.setdefault(table.group(1), number)
        elif key := _KEY.match(line):
            found.setdefault(prefix + key.group(1), number)
    return found


def _top_line(lines: list[str], key: str) -> int | None:
    pattern = re.compile(rf"\s*(?:\[+\s*{re.escape(key)}\b|{re.escape(key)}\s*=)")
    return next((n for n, line in enumerate(lines, start=1) if pattern.match(line)), None)


def parse_toml(text: str, file: str, *specs: Input) -> list[Entry]:
    """Parse a TOML ``text`` of ``[[section]]`` arrays; return every entry checked.

    Example:
        >>> from ffdata.builder.inputs.schema import INPUTS
        >>> parse_toml("a = 1\\nb = " + "[" * 2000, "x.toml", INPUTS["not_figures"])
        Traceback (most recent call last):
        ...
        ffdata.errors.ReviewedInputError: x.toml:2: x.toml is not valid TOML (nested too deeply)
          hint: fix the syntax at that line
    """
    error = specs[0].error
    try:
        data = copy.deepcopy(_loads(text))
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise _toml_error(exc, text, file, error) from None
    lines = text.splitlines()
    unknown = sorted(set(data) - {spec.section for spec in specs})
    if unknown:
        raise error(
            f"unknown section {unknown[0]!r}",
            document=file,
            line=_top_line(lines, unknown[0]),
            hint="write each entry under its own [[section]] header: "
            + ", ".join(f"[[{spec.section}]]" for spec in specs),
        )
    collector = ErrorCollector()
    out = [e for spec in specs for e in _section(data, lines, file, spec, collector)]
    collector.raise_if_any()
    return out


def _section(
    data: dict, lines: list[str], file: str, spec: Input, collector: ErrorCollector
) -> list[Entry]:
    """The entries of ``[[spec.section]]``, each checked (errors collected)."""
    items = data.get(spec.section, [])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise spec.error(
            f"[{spec.section}] must be an array of tables",
            document=file,
            line=_top_line(lines, str(spec.section)),
            hint=f"write each entry under its own [[{spec.section}]] header",
        )
    headers = [n for n, line in enumerate(lines, 1) if line.strip() == f"[[{spec.section}]]"]
    if len(headers) != len(items):  # an inline array of tables: no line to give
        headers = [0] * len(items)
    entries = []
    for number, (item, header) in enumerate(zip(items, headers, strict=True), start=1):
        label = item.get(spec.label) if spec.label else None
        if not isinstance(label, str) or CONTROL_CHARACTERS.search(label):
            label = None
        place = Place(file, header or None, spec.section, number, None, label)
        entry = Entry(item, place, _field_lines(lines, header) if header else {})
        with collector.attempt():
            entries.append(replace(entry, values=checked(item, spec.fields, entry, spec.error)))
    with collector.attempt():
        _refuse_repeated(entries, spec)
    return entries


def _refuse_repeated(entries: list[Entry], spec: Input) -> None:
    for f in spec.fields:
        if f.unique:
            first: dict[object, Entry] = {}
            for entry in entries:
                value = entry[f.name]
                if value in first:
                    raise spec.error(
                        f"{f.name} {value!r} is given twice (first at {first[value].at(f.name)})",
                        **entry.at(f.name).keywords(),
                        hint=f"give each entry its own {f.name}",
                    )
                first[value] = entry


_TYPE_HINT = "quote text, write numbers bare and booleans as true/false"


def _shown(name: str) -> str:
    return name.partition(".")[2] or name  # a field's name in messages, without its table


def checked(
    values: dict, fields: tuple[Field, ...], entry: Entry, error: type, prefix: str = ""
) -> dict[str, Any]:
    """``values`` checked against ``fields`` (inside the table ``prefix``), defaults filled."""
    allowed = [f.name for f in fields]
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise error(
            f"unknown field(s) {', '.join(_shown(prefix + k) for k in unknown)}",
            **entry.at(prefix + unknown[0]).keywords(),
            hint=f"check the spelling; allowed: {', '.join(sorted(allowed))}",
        )
    out: dict[str, Any] = {}
    for f in fields:
        name = prefix + f.name
        if f.name not in values:
            if f.required:
                raise error(
                    f"entry lacks the field {_shown(name)!r}",
                    **entry.at(name).keywords(),
                    hint=f"add it: {f.meaning}",
                )
            out[f.name] = copy.copy(f.default)
            continue
        value = values[f.name]
        if f.type is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, f.type) or (f.type in (int, float) and isinstance(value, bool)):
            raise error(
                f"field {_shown(name)!r} should be {f.type.__name__}, not {type(value).__name__}",
                **entry.at(name).keywords(),
                text=repr(value),
                hint=_TYPE_HINT,
            )
        if f.type is dict:
            inner = f.fields or LAYOUTS[out[str(f.fields_by)]].fields
            value = checked(value, inner, entry, error, f"{name}.")
        out[f.name] = value
        _check_text(f, name, value, entry, error)
    return out


def _check_text(f: Field, name: str, value: object, entry: Entry, error: type) -> None:
    """The rules of a text field, or of each item of a list of text."""
    if f.type not in (str, list):
        return
    items = value if isinstance(value, list) else [value]
    place, name = entry.at(name).keywords(), _shown(name)
    if not all(isinstance(item, str) for item in items):
        raise error(
            f"field {name!r} should be a list of str", **place, text=repr(value), hint=_TYPE_HINT
        )
    if f.filled and not "".join(items).strip():
        raise error(f"field {name!r} is empty", **place, hint=f"fill it in: {f.meaning}")
    for index, item in enumerate(items):
        if found := CONTROL_CHARACTERS.search(item):
            raise error(
                f"{name} holds a control character ({found.group()!r})",
                **place,
                text=item,
                hint="write it on one line, without line breaks or other control characters",
            )
        if f.vocabulary and item not in f.vocabulary:
            raise error(
                f"{name} {item!r} is not one of {', '.join(f.vocabulary)}",
                **place,
                hint=f"use one of the words listed ({f.meaning})",
            )
        if f.pattern and item and not f.pattern.matches(item):
            raise error(
                f"{name} {item!r} is not {f.pattern.says}",
                **place,
                hint=f"write {name} as {f.pattern.says}",
            )
        if item in items[:index]:
            raise error(f"{name} lists {item!r} twice", **place, hint="give each once")
