"""``python -m ffdata.builder.tools.report [--out DIR]``: write the report page into DIR
(default: ``docs/report/`` of the checkout in the working directory; anywhere else the
command refuses, exit status 1). The tables are read where :func:`ffdata.locate.data_root`
finds them.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

from ffdata._version import DISTRIBUTION
from ffdata.errors import FfdataError, PublishError, one_line


def main(argv: list[str] | None = None) -> int:
    """Build the report into ``--out`` and print the page's path; return the exit status (1
    for an error, e.g. a folder that cannot be written, found before any chart is drawn).

    Example:
        >>> main(["--out", "/dev/null/report"])  # not a folder: an error on stderr
        1
    """
    parser = argparse.ArgumentParser(
        prog="python -m ffdata.builder.tools.report",
        description="Write index.html and top-countries.svg of the data report.",
    )
    parser.add_argument(
        "--out",
        "--out-dir",
        dest="out",
        help="folder to write into (default: docs/report/ of the checkout in the working directory)",
    )
    args = parser.parse_args(argv)
    try:
        if importlib.util.find_spec("matplotlib") is None:  # the report extra is missing
            raise FfdataError(
                "the report draws its charts with matplotlib, which is not installed",
                document=sys.prefix,
                hint=f"pip install '{DISTRIBUTION}[report]' (or `make venv` in a checkout)",
            )
        from ffdata.builder.tools.checkout import checkout_root
        from ffdata.builder.tools.report.build import build_report

        if args.out:
            out = Path(args.out)
        else:
            hint = "run the command in the repository's root folder, or give --out DIR"
            out = checkout_root(hint=hint) / "docs" / "report"
        try:
            page = build_report(out)
        except OSError as exc:
            raise PublishError(
                f"cannot write the report ({type(exc).__name__}: {exc.strerror or exc})",
                path=str(out),
                hint="give a folder that can be written with --out",
            ) from exc
    except FfdataError as exc:
        print(f"error: {one_line(exc)}", file=sys.stderr)
        return 1
    print(f"wrote {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
