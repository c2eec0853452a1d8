"""The one exception family of ffdata: every error says what went wrong, where (a
``document:line``, a ``table`` or a ``path``) and what would fix it.

Example:
    >>> print(ExtractionError("not a number", document="002.txt", line=112, text="6O00", hint="fix it"))
    002.txt:112: not a number: '6O00'
      hint: fix it
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


class FfdataError(Exception):
    """Base class of every error ffdata raises on purpose; the location is in attributes:
    ``document`` and ``line`` (1-based), or ``table``, or ``path``; ``text`` and ``hint``.

    Example:
        >>> print(FfdataError("key appears twice", table="countries"))
        table countries: key appears twice
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
        self.message, self.document, self.line, self.text = message, document, line, text
        self.hint, self.table, self.path = hint, table, path
        super().__init__(self._render())

    def _render(self) -> str:
        if self.document is not None:
            where = self.document if self.line is None else f"{self.document}:{self.line}"
        else:
            where = self.path if self.table is None else f"table {self.table}"
        body = self.message if where is None else f"{where}: {self.message}"
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
    """Several errors found in one run (``errors``); the location is the first one's."""

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
        >>> len(collector.errors)
        1
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
        except FfdataError as exc:
            self.add(exc.errors if isinstance(exc, FfdataErrors) else [exc])

    def add(self, errors: list[FfdataError]) -> None:
        """Record ``errors``: the first :attr:`SHOWN` of a run are kept, the rest counted."""
        room = max(0, self.SHOWN - len(self.errors))
        self.errors.extend(errors[:room])
        self.not_shown += max(0, len(errors) - room)

    def raise_if_any(self) -> None:
        """Raise the one error collected, or :class:`FfdataErrors` for several."""
        errors = list(self.errors)
        if self.not_shown:
            count = len(errors) + self.not_shown
            more = f"and {self.not_shown:,} more errors ({count:,} in all; the first "
            errors.append(
                FfdataError(
                    f"{more}{len(self.errors)} are shown)", hint="fix the errors above first"
                )
            )
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise FfdataErrors(errors)


def one_line(error: FfdataError) -> str:
    """Render an error on one line, hint included (as the CLI prints it).

    Example:
        >>> one_line(ExtractionError("bad", document="d", line=2, text="6O00", hint="fix it"))
        "d:2: bad: '6O00' (hint: fix it)"
    """
    return str(error).replace("\n  hint: ", " (hint: ", 1) + (")" if error.hint else "")
