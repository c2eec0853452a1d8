"""Every error ffdata raises on purpose says how to fix it (a ``hint``), and data errors say
where (``document``): a static check over the source, so a new raise cannot forget them."""

from __future__ import annotations

import ast
from pathlib import Path

import ffdata.errors as errors

SRC = Path(errors.__file__).parent
FAMILY = {
    name
    for name, value in vars(errors).items()
    if isinstance(value, type) and issubclass(value, errors.FfdataError)
}
#: Errors about the caller's arguments name no document: the argument is the place.
ARGUMENT_ERRORS = {"UnknownNameError"}


def raises() -> list[tuple[str, str, set[str]]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                func = node.exc.func
                name = getattr(func, "id", None) or getattr(func, "attr", None)
                if name in FAMILY and name != "FfdataErrors":
                    where = f"{path.relative_to(SRC)}:{node.lineno}"
                    found.append((where, name, {k.arg for k in node.exc.keywords}))
    return found


def test_the_scan_sees_the_raises():
    assert len(raises()) > 80


def test_every_error_has_a_hint():
    missing = [where for where, _, keywords in raises() if "hint" not in keywords]
    assert missing == []


def test_every_data_error_names_where():
    missing = [
        where
        for where, name, keywords in raises()
        if name not in ARGUMENT_ERRORS
        and "document" not in keywords
        and None not in keywords  # ``**where`` passes document and line
        and not where.startswith("builder/atomic.py")  # the injected test fault has no place
    ]
    assert missing == []
