"""Re-pin reviewed changes: record a raw file's new sha256 and size in ``manifest.toml``
(``python -m ffdata.builder.tools.pin --raw-dir data/raw FILE...``); only those lines change.

Example:
    >>> import shutil, tempfile
    >>> from pathlib import Path
    >>> from ffdata.builder.inputs.manifest import default_raw_dir
    >>> raw = Path(tempfile.mkdtemp()) / "raw"
    >>> _ = shutil.copytree(default_raw_dir(), raw)
    >>> _ = (raw / "figures.toml").write_text("# emptied\\n", encoding="utf-8")
    >>> repin(raw, ["figures.toml"])
    ['figures.toml: size 10 bytes, sha256 28f3a1f6...']
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from ffdata.builder.inputs.manifest import MANIFEST_NAME, MAX_RAW_FILE_BYTES, refuse_outside
from ffdata.builder.inputs.reader import decode
from ffdata.errors import FfdataError, ManifestError
from ffdata.hashes import sha256_of


def repin(raw_dir: Path | str, files: Sequence[str]) -> list[str]:
    """Record the sha256 and size of each of ``files`` in the manifest (module example)."""
    raw_dir = Path(raw_dir)
    manifest = refuse_outside(raw_dir, MANIFEST_NAME)
    text = decode(manifest.read_bytes(), str(manifest), ManifestError, "save it as UTF-8")
    text = re.sub(r"\r\n?", "\n", text)  # line ends as Path.read_text gave them
    done = []
    for file in files:
        path = refuse_outside(raw_dir, file)
        if not path.is_file():
            raise ManifestError(
                "no such file in the raw folder (or it is not a file)",
                document=str(path),
                hint="name the file by its path inside --raw-dir, as the manifest lists it",
            )
        data = path.read_bytes()
        if len(data) > MAX_RAW_FILE_BYTES:
            raise ManifestError(
                f"file is {len(data):,} bytes; the build reads none larger than "
                f"{MAX_RAW_FILE_BYTES:,}",
                document=str(path),
                hint="a raw file this large is not a reviewed change: restore the file",
            )
        digest = sha256_of(data)
        for prefix in ("", "provenance_"):
            pattern = re.compile(
                rf'^({prefix}file = "{re.escape(file)}"\n{prefix}sha256 = )"[0-9a-f]*"'
                rf"(\n{prefix}size = )\d+$",
                re.MULTILINE,
            )
            text, found = pattern.subn(rf'\g<1>"{digest}"\g<2>{len(data)}', text)
            if found:
                break
        else:
            raise ManifestError(
                f"{file} has no entry to re-pin (file, sha256 and size on consecutive lines)",
                document=str(manifest),
                hint="add an entry for it ([[reviewed]] for a file written by hand)",
            )
        done.append(f"{file}: size {len(data)} bytes, sha256 {digest[:8]}...")
    from ffdata.builder.publish.atomic import write_whole

    write_whole(manifest, text)  # never a half-written manifest
    return done


def main(argv: Sequence[str] | None = None) -> int:
    """Re-pin the files named on the command line; print what was recorded.

    Example:
        >>> main(["--raw-dir", "/nonexistent/raw", "figures.toml"])
        1
    """
    parser = argparse.ArgumentParser(prog="python -m ffdata.builder.tools.pin", description=__doc__)
    parser.add_argument("--raw-dir", type=Path, required=True, help="a folder like data/raw/")
    parser.add_argument("files", nargs="+", help="paths inside the raw folder")
    args = parser.parse_args(argv)
    try:
        lines = repin(args.raw_dir, args.files)
    except (FfdataError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
