"""Text as a person sees it: every display (the CLI, :func:`ffdata.compare`, the report) shows
data text through :func:`shown`, so that nothing in the data acts on a terminal.

Example:
    >>> shown("1\\tTunisia\\t6000\\t7000")
    '1 ⇥ Tunisia ⇥ 6000 ⇥ 7000'
    >>> shown("\\x1b[2J\\x1b[31mTunisia\\u202e")
    '\\\\x1b[2J\\\\x1b[31mTunisia\\\\u202e'
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

#: How a tab (a column break in a printed table) is shown.
TAB_MARK = " \u21e5 "
#: How a line break inside a value is shown.
NEWLINE_MARK = " \u23ce "
#: C0 and C1 controls and DEL (tab and newline are shown by their marks), bidirectional
#: embeddings, overrides and isolates, and the line and paragraph separators.
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def is_missing(value: object) -> bool:
    """Return True for a missing cell: None, pandas NA and NaN (one test for every display).

    Example:
        >>> is_missing(float("nan")), is_missing(None), is_missing(0)
        (True, True, False)
    """
    import pandas as pd

    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def shown(text: object) -> str:
    """Return ``text`` as displayed: a tab as `` ⇥ ``, a line break as `` ⏎ ``, other control
    and invisible characters as Python escapes (example: the module's; ``None`` is ``''``)."""
    if text is None:
        return ""
    plain = str(text).replace("\r\n", "\n")
    plain = _HIDDEN.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), plain)
    return plain.replace("\t", TAB_MARK).replace("\n", NEWLINE_MARK)


def text_as_string(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with every text column (object of text, pandas' ``str``, or a column
    with no value at all) as pandas ``string``, so that a missing text shows as ``<NA>``, as
    in :func:`ffdata.load`, never ``None`` or ``NaN``. The one home of that rule for the
    frames the API builds.

    Example:
        >>> import pandas as pd
        >>> frame = text_as_string(pd.DataFrame({"unit": [None, "people"], "n": [1, 2]}))
        >>> print(frame)
             unit  n
        0    <NA>  1
        1  people  2
    """
    import pandas as pd

    text = [c for c in frame.columns if _is_text(frame[c])]
    if not text:
        return frame
    return frame.astype(dict.fromkeys(text, pd.StringDtype()))


def _is_text(values: pd.Series) -> bool:
    """Whether a column holds text (or nothing) and is not yet pandas ``string``."""
    import pandas as pd

    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.na_value is pd.NA:
        return False
    if isinstance(dtype, pd.StringDtype):  # pandas' ``str``: NaN for a missing value
        return True
    if str(dtype) in ("object", "null[pyarrow]"):
        return all(isinstance(v, str) for v in values if not is_missing(v))
    return False


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` as a DataFrame that keeps its exact values but displays (``repr``,
    ``to_string``, HTML, selections of it) its text through :func:`shown`; its text columns
    are pandas ``string`` (:func:`text_as_string`).

    Example:
        >>> import pandas as pd
        >>> frame = readable(pd.DataFrame({"text_as_printed": ["1\\tTunisia\\t6000"]}))
        >>> frame.loc[0, "text_as_printed"]
        '1\\tTunisia\\t6000'
        >>> print(frame)
              text_as_printed
        0  1 ⇥ Tunisia ⇥ 6000
    """
    return _readable_class()(text_as_string(frame))


def _as_shown(frame: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    plain = text_as_string(pd.DataFrame(frame))
    text = [c for c in plain.columns if isinstance(plain[c].dtype, pd.StringDtype)]
    if text:
        plain = plain.copy()
        for column in text:
            plain[column] = plain[column].map(shown, na_action="ignore").astype(pd.StringDtype())
    return plain


@functools.cache
def _readable_class() -> type:
    """The DataFrame subclass :func:`readable` returns, made on first use (pandas is lazy)."""
    import pandas as pd

    class ReadableFrame(pd.DataFrame):
        """A DataFrame whose text displays through :func:`shown`; values stay exact."""

        @property
        def _constructor(self) -> type:
            return ReadableFrame

        def __repr__(self) -> str:
            return repr(_as_shown(self))

        def _repr_html_(self) -> str | None:
            return _as_shown(self)._repr_html_()

        def to_string(self, *args: Any, **kwargs: Any) -> str:
            return _as_shown(self).to_string(*args, **kwargs)

        def to_markdown(self, *args: Any, **kwargs: Any) -> str:
            return _as_shown(self).to_markdown(*args, **kwargs)

    ReadableFrame.__module__ = __name__
    ReadableFrame.__qualname__ = "ReadableFrame"  # pickled by name: see __getattr__ below
    return ReadableFrame


def __getattr__(name: str) -> Any:
    """``ffdata.display.ReadableFrame``, made on first use, so that a pickled frame of
    :func:`ffdata.compare` or :func:`ffdata.provenance` loads in a fresh process."""
    if name == "ReadableFrame":
        return _readable_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
