"""Every error ffdata raises on purpose says how to fix it (a ``hint``), and data errors say
where (``document``, ``table`` or ``path``), each error class about its own kind of input:
a static check over the source, so a new raise cannot forget them."""

from __future__ import annotations

import ast
from pathlib import Path

import ffdata.errors as errors

SRC = Path(errors.__file__).parent
FAMILY = {
    name
    for name, value in vars(errors).items()
    if isinstance(value, type) and issubclass(value, errors.FfdataError) and name != "FfdataErrors"
}
#: Where each error about an input file may be raised: the file decides the class.
RAISED_ONLY_IN = {
    "ManifestError": {"builder/inputs/manifest.py", "builder/pipeline.py", "builder/tools/pin.py"},
    "ReviewedInputError": {  # sources.toml, figures.toml, not_figures.toml
        *("builder/inputs/reviewed.py", "builder/review/sources.py"),
        *("builder/review/figures.py", "builder/review/coverage.py"),
    },
    "ReferenceDataError": {
        *("builder/countries/population.py", "builder/countries/regions.py"),
        "builder/inputs/reference_csv.py",
    },
}


def raise_calls() -> list[tuple[str, str, dict[str | None, ast.expr]]]:
    """Each ``raise SomeFfdataError(...)`` of src/ffdata: its place, class and keywords."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                name = getattr(node.exc.func, "id", None) or getattr(node.exc.func, "attr", None)
                if name in FAMILY:
                    where = f"{path.relative_to(SRC)}:{node.lineno}"
                    found.append((where, name, {k.arg: k.value for k in node.exc.keywords}))
    return found


def test_the_scan_sees_the_raises():
    assert len(raise_calls()) > 80


def test_every_error_has_a_hint():
    assert [where for where, _, keywords in raise_calls() if "hint" not in keywords] == []


def test_every_data_error_names_where():
    missing = [
        where
        for where, name, keywords in raise_calls()
        if name != "UnknownNameError"  # about the caller's arguments: the argument is the place
        and not keywords.keys() & {"document", "table", "path", None}  # None: ``**where``
        and not where.startswith("builder/publish/atomic.py")  # the injected fault: no place
    ]
    assert missing == []


def test_document_names_only_files():
    """A table is named by ``table=``, a folder or URL by ``path=``, never by ``document=``."""
    misplaced = []
    for where, _, keywords in raise_calls():
        value = keywords.get("document")
        text = ast.unparse(value) if value is not None else ""
        if isinstance(value, ast.JoinedStr | ast.Constant):
            if text.strip("f'\"").startswith("table ") or "url" in text.casefold():
                misplaced.append(where)
        elif isinstance(value, ast.Call) and (
            "url" in text.casefold() or text in {"str(out_dir)", "str(folder)"}
        ):
            misplaced.append(where)
    assert misplaced == []


def test_each_input_error_is_raised_where_its_input_is_read():
    calls = raise_calls()
    misplaced = [
        (where, name)
        for where, name, _ in calls
        if name in RAISED_ONLY_IN and where.split(":")[0] not in RAISED_ONLY_IN[name]
    ]
    assert misplaced == []
    assert set(RAISED_ONLY_IN) <= {name for _, name, _ in calls}
