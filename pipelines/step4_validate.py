"""Step 4: assemble the six tables and validate them (schemas, keys, the documents' checks)."""

from _common import run_step

from ffdata.builder.pipeline import run_pipeline


def step(args) -> None:
    result = run_pipeline(args.raw_dir)
    for name, frame in result.tables.items():
        print(f"{name}: {len(frame)} rows, valid")


if __name__ == "__main__":
    run_step(__doc__, step)
