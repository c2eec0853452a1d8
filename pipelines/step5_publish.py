"""Step 5: publish Parquet, CSV and datapackage.json into --out-dir, all or nothing."""

from _common import run_step

from ffdata.builder.build import build


def step(args) -> None:
    print(build(args.raw_dir, args.out_dir).summary())


if __name__ == "__main__":
    run_step(__doc__, step, out=True)
