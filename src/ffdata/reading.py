"""Reading published tables back, with the declared dtypes.

Example:
    >>> from ffdata.builder.inputs import default_raw_dir
    >>> root = default_raw_dir().parents[1]
    >>> frame = read_table(root, "country_estimates")
    >>> int(frame.loc[frame.name_as_printed.eq("Tunisia")
    ...               & frame.estimate.eq("official"), "fighters"].iloc[0])
    6000
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ffdata.locate import PROCESSED
from ffdata.tables import PANDAS_DTYPES, TABLES

if TYPE_CHECKING:
    import pandas as pd


def dtypes(name: str) -> dict[str, str]:
    """Return column -> pandas dtype of table ``name``.

    Example:
        >>> dtypes("country_estimates")["fighters"]
        'Int64'
    """
    return {c.name: PANDAS_DTYPES[c.type] for c in TABLES[name].columns}


def read_table(root: Path | str, name: str, fmt: str = "parquet") -> pd.DataFrame:
    """Read table ``name`` of the package at ``root`` (Parquet or CSV) with declared dtypes.

    Example: see the module docstring.
    """
    import pandas as pd

    path = Path(root) / PROCESSED / f"{name}.{fmt}"
    if fmt == "parquet":
        frame = pd.read_parquet(path)
    elif fmt == "csv":
        frame = pd.read_csv(
            path,
            dtype={k: v for k, v in dtypes(name).items() if v != "boolean"},
            keep_default_na=False,
            na_values=[""],
            encoding="utf-8",
        )
    else:
        raise ValueError(f"unknown format {fmt!r}; use 'parquet' or 'csv'")
    return frame.astype(dtypes(name))
