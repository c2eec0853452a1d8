"""Step 1: check every file of the raw folder against the sha256 and size in its manifest."""

from _common import run_step

from ffdata.builder.inputs import read_manifest, read_verified


def step(args) -> None:
    manifest = read_manifest(args.raw_dir)
    print("file,sha256,size,status")
    for entry in (*manifest.documents, *manifest.references):
        read_verified(manifest.raw_dir, entry.file, entry.sha256, entry.size)
        print(f"{entry.file},{entry.sha256},{entry.size},ok")


if __name__ == "__main__":
    run_step(__doc__, step)
