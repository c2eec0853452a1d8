"""The one exception family of ffdata: every error says what went wrong, where (a
``document:line``, a ``table`` or a ``path``) and what would fix it.

Example:
    >>> from ffdata.errors import ExtractionError
    >>> err = ExtractionError(
    ...     "count is not a number",
    ...     document="002_882cd01f73eb6394.txt",
    ...     line=112,
    ...     text="6O00",
    ...     hint="correct the digits in the document or its manifest entry",
    ... )
    >>> print(err)
    002_882cd01f73eb6394.txt:112: count is not a number: '6O00'
      hint: correct the digits in the document or its manifest entry
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


class FfdataError(Exception):
    """Base class of every error ffdata raises on purpose; the location is in attributes:
    ``document`` and ``line`` (1-based), or ``table``, or ``path``; ``text`` and ``hint``.

    Example:
        >>> print(FfdataError("key appears twice", table="countries", hint="keep one row"))
        table countries: key appears twice
          hint: keep one row
        >>> FfdataError("cannot write", path="/tmp/out").path
        '/tmp/out'
    """

    def __init__(
        self,
        message: str,
        *,
        document: str | None = None,
        line: int | None = None,
        text: str | None = None,
        hint: str | None = None,
        table: str | None = None,
        path: str | None = None,
    ) -> None:
        self.message = message
        self.document = document
        self.line = line
        self.table = table
        self.path = path
        self.text = text
        self.hint = hint
        super().__init__(self._render())

    def _render(self) -> str:
        where = ""
        if self.document is not None:
            where = self.document if self.line is None else f"{self.document}:{self.line}"
            where += ": "
        elif self.table is not None:
            where = f"table {self.table}: "
        elif self.path is not None:
            where = f"{self.path}: "
        body = f"{where}{self.message}"
        if self.text is not None:
            shown = self.text if len(self.text) <= 200 else self.text[:197] + "..."
            body += f": {shown!r}"
        if self.hint:
            body += f"\n  hint: {self.hint}"
        return body


class ManifestError(FfdataError):
    """The raw folder or its manifest (``manifest.toml``) is missing, malformed or inconsistent."""


class ReviewedInputError(FfdataError):
    """An entry of a reviewed file (``sources.toml``, ``figures.toml``, ``not_figures.toml``)
    is missing, malformed or inconsistent with the others; ``document`` is its ``file:line``.
    """


class ReferenceDataError(FfdataError):
    """A reference file that the build reads (the population table) is not as pinned."""


class ChecksumError(FfdataError):
    """A raw file's sha256 differs from the one its manifest records."""


class DocumentError(FfdataError):
    """A raw document cannot be read as text (encoding, emptiness)."""


class ExtractionError(FfdataError):
    """A table, list or figure cannot be found or parsed in a document."""


class CountryError(FfdataError):
    """A country name as printed resolves to no country, or to more than one."""


class ValidationError(FfdataError):
    """A table breaks its schema, a key, or a check the documents make possible."""


class PublishError(FfdataError):
    """The output folder cannot be written or replaced safely."""


class ReleaseError(FfdataError):
    """A release cannot be downloaded, or its bytes differ from the known sha256."""


class UnknownNameError(FfdataError, ValueError):
    """A table, column, source or country asked for by name does not exist (also a
    :class:`ValueError`, as Python users expect for a bad argument)."""


class FfdataErrors(FfdataError):
    """Several errors found in one run (``errors``); the location is the first one's.

    Example:
        >>> errs = FfdataErrors([ExtractionError("a", document="d", line=1),
        ...                      CountryError("b", document="d", line=2)])
        >>> print(errs)
        d:1: a
        d:2: b
    """

    def __init__(self, errors: list[FfdataError]) -> None:
        self.errors = list(errors)
        first = self.errors[0]
        where = ("document", "line", "text", "hint", "table", "path")
        super().__init__(first.message, **{key: getattr(first, key) for key in where})

    def _render(self) -> str:
        return "\n".join(str(e) for e in self.errors)


class ErrorCollector:
    """Collects errors of independent steps so that one run reports them all.

    Example:
        >>> collector = ErrorCollector()
        >>> with collector.attempt():
        ...     raise ExtractionError("bad row", document="d", line=3)
        >>> with collector.attempt():
        ...     raise CountryError("no such country", document="d", line=4)
        >>> len(collector.errors)
        2
        >>> collector.raise_if_any()
        Traceback (most recent call last):
        ...
        ffdata.errors.FfdataErrors: d:3: bad row
        d:4: no such country
    """

    #: Errors kept to be shown; the rest are counted (not a million lines of output).
    SHOWN = 50

    def __init__(self) -> None:
        self.errors: list[FfdataError] = []
        self.not_shown = 0

    @contextlib.contextmanager
    def attempt(self) -> Iterator[None]:
        """Run the block; an ffdata error is recorded instead of raised."""
        try:
            yield
        except FfdataErrors as exc:
            self.add(exc.errors)
        except FfdataError as exc:
            self.add([exc])

    def add(self, errors: list[FfdataError]) -> None:
        """Record ``errors``: the first :attr:`SHOWN` of a run are kept, the rest counted.

        Example:
            >>> collector = ErrorCollector()
            >>> collector.add([FfdataError(f"e{i}") for i in range(60)])
            >>> len(collector.errors), collector.not_shown
            (50, 10)
        """
        room = max(0, self.SHOWN - len(self.errors))
        self.errors.extend(errors[:room])
        self.not_shown += max(0, len(errors) - room)

    def raise_if_any(self) -> None:
        """Raise the one error collected, or :class:`FfdataErrors` for several."""
        if len(self.errors) == 1 and not self.not_shown:
            raise self.errors[0]
        if self.not_shown:
            count = len(self.errors) + self.not_shown
            raise FfdataErrors(
                [
                    *self.errors,
                    FfdataError(
                        f"and {self.not_shown:,} more errors ({count:,} in all; the first "
                        f"{len(self.errors)} are shown)",
                        hint="fix the errors above first",
                    ),
                ]
            )
        if self.errors:
            raise FfdataErrors(self.errors)


def one_line(error: FfdataError) -> str:
    """Render an error on one line, hint included (as the CLI prints it).

    Example:
        >>> one_line(ExtractionError("bad", document="d", line=2, text="6O00", hint="fix it"))
        "d:2: bad: '6O00' (hint: fix it)"
    """
    return str(error).replace("\n  hint: ", " (hint: ", 1) + (")" if error.hint else "")
