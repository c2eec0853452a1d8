"""``python -m ffdata.builder.report [--out-dir DIR]``: write the report page (default docs/report/)."""

from __future__ import annotations

import argparse
import sys

from ffdata.builder.report.build import DEFAULT_OUT, build_report


def main(argv: list[str] | None = None) -> int:
    """Build the report into ``--out-dir`` and print the page's path; return the exit status.

    Example:
        >>> import tempfile
        >>> main(["--out-dir", tempfile.mkdtemp()])  # doctest: +ELLIPSIS
        wrote .../index.html
        0
    """
    parser = argparse.ArgumentParser(prog="python -m ffdata.builder.report", description=__doc__)
    parser.add_argument("--out-dir", default=str(DEFAULT_OUT), help="folder to write into")
    args = parser.parse_args(argv)
    from pathlib import Path

    page = build_report(Path(args.out_dir))
    print(f"wrote {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
