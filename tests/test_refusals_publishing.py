"""Refusals of an unsafe output folder, and publishing under faults: a planted journal,
lock or link, a full disk, an exception in any stage, a kill at any point of the
replacement, and two builds at once never leave a half-written or mixed package, and never
touch what is not the build's own."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from subprocess import PIPE
from unittest import mock

import pytest
from refusals import Case, accepted, corpus_test, refused
from support import RAW, line_of, replace_line, snapshot

import ffdata.builder.pipeline as pipeline
from ffdata.builder.build import build
from ffdata.builder.publish import atomic
from ffdata.builder.publish.package_check import check_package
from ffdata.builder.publish.write import publish
from ffdata.errors import FfdataError, PublishError

JOURNAL = ".ffdata-journal.json"


def refused_here(damage, *says: str, pipeline: str = "intact", **options):
    """A build refused by the output folder (the pipeline's result is the worker's)."""
    return refused(damage, PublishError, *says, at_line=False, pipeline=pipeline, **options)


def outside_backup(ws) -> str:
    victim = ws.outside / "victim"
    (victim / "processed").mkdir(parents=True)
    (victim / "processed" / "theirs.csv").write_text("a\n1\n")
    (victim / "datapackage.json").write_text("{}")
    return str(victim)


def journal(state) -> callable:
    """Plant a journal (``state``: a function of the workspace) in the output folder."""
    return lambda ws: (ws.out / JOURNAL).write_text(json.dumps(state(ws)), encoding="utf-8")


def whole(backup) -> dict:
    return {"backup": backup, "had_tables": True, "had_descriptor": True}


def link_out(rel: str, target: str | None = None):
    """Move a published file or folder outside (or drop it) and leave a link to ``target``."""

    def damage(ws) -> None:
        path = ws.out / rel
        if target is None:
            path.rename(ws.outside / path.name)
        path.unlink(missing_ok=True)
        path.symlink_to(ws.outside / (target or path.name))

    return damage


def planted_backup_link(ws) -> None:
    (ws.out / ".ffdata-backup-planted").symlink_to(Path(outside_backup(ws)))
    journal(lambda ws: whole(".ffdata-backup-planted"))(ws)


def planted_backup_of_links(ws) -> None:
    """A real backup folder whose tables and descriptor are links to a folder outside."""
    backup, victim = ws.out / ".ffdata-backup-planted", Path(outside_backup(ws))
    backup.mkdir()
    (backup / "processed").symlink_to(victim / "processed")
    (backup / "datapackage.json").symlink_to(victim / "datapackage.json")
    journal(lambda ws: whole(".ffdata-backup-planted"))(ws)


BESIDE = ("notes.txt", "data/other.csv", ".ffdata-stagingnotes")


def plant_beside(ws) -> None:
    for rel in BESIDE:
        (ws.out / rel).write_text("mine\n")


def kept_beside(ws, out: str) -> str | None:
    return next((f"deleted {rel}" for rel in BESIDE if not (ws.out / rel).is_file()), None)


DISK_ERRORS = {"no space": errno.ENOSPC, "quota": errno.EDQUOT, "read-only": errno.EROFS}
DISK_ERRORS["too many files"] = errno.EMFILE
WRITE_POINTS = {
    "writing a CSV": "ffdata.builder.publish.write.write_csv",
    "writing a Parquet": "ffdata.builder.publish.write.write_parquet",
    "making the staging folder": "ffdata.builder.publish.write._make_stage",
    "writing the journal": "ffdata.builder.publish.atomic._write_json_atomic",
}


def disk_error(label: str, point: str):
    error = OSError(DISK_ERRORS[label], os.strerror(DISK_ERRORS[label]))
    return lambda: mock.patch(WRITE_POINTS[point], side_effect=error)


CASES = {
    **{
        f"planted journal: {label}": refused_here(journal(state), JOURNAL)
        for label, state in {
            "backup is an absolute path outside": lambda ws: whole(outside_backup(ws)),
            "backup climbs out with ..": lambda ws: (
                outside_backup(ws) and whole("../outside/victim")
            ),
            "backup names the tables folder": lambda ws: whole("data"),
            "backup is empty": lambda ws: whole(""),
            "not a dict": lambda ws: ["backup", ".ffdata-backup-x"],
            "missing keys": lambda ws: {"backup": ".ffdata-backup-x"},
            "wrong types": lambda ws: {"backup": 5, "had_tables": "yes", "had_descriptor": None},
            "had_tables false (would delete the tables)": lambda ws: {
                **whole(".ffdata-backup-x"),
                "had_tables": "false",
            },
        }.items()
    },
    "corrupt journal (not JSON)": refused_here(
        lambda ws: (ws.out / JOURNAL).write_bytes(b'{"backup": ".ffdata-back'), JOURNAL, "delete"
    ),
    "journal is binary garbage": refused_here(
        lambda ws: (ws.out / JOURNAL).write_bytes(bytes(range(256))), JOURNAL
    ),
    "journal is a folder": refused_here(lambda ws: (ws.out / JOURNAL).mkdir(), JOURNAL),
    "backup folder is a link to outside": refused_here(planted_backup_link, JOURNAL),
    "backup folder holds links to outside": refused_here(planted_backup_of_links, JOURNAL),
    **{
        f"lock file is {label} outside": refused_here(link_out(".ffdata.lock", t), ".ffdata.lock")
        for label, t in (
            ("a link to a file", "keep.txt"),
            ("a dangling link to", "created-by-build"),
        )
    },
    "unrelated file inside data/processed": refused_here(
        lambda ws: (ws.out / "data" / "processed" / "my-notes.csv").write_text("mine\n"),
        "my-notes.csv",
        pipeline="changed",
    ),
    "unrelated files beside the package are kept": accepted(
        plant_beside, check=kept_beside, pipeline="changed"
    ),
    "data/processed is a link to outside": refused_here(
        link_out("data/processed"), "data/processed", pipeline="changed"
    ),
    "datapackage.json is a link to outside": refused_here(
        link_out("datapackage.json"), "datapackage.json", pipeline="changed"
    ),
    "output folder given is a file": refused(
        lambda ws: None,
        FfdataError,
        "datapackage.json",
        at_line=False,
        argv=lambda ws: [*Case.argv(ws)[:-1], str(ws.out / "datapackage.json")],
    ),
    **{
        f"{label} while {point}": refused_here(
            lambda ws: None, "untouched", pipeline="changed", patch=disk_error(label, point)
        )
        for label, point in [("no space", p) for p in WRITE_POINTS]
        + [(label, "writing a CSV") for label in DISK_ERRORS if label != "no space"]
    },
}

test_each_unsafe_output_folder_is_refused_and_left_as_it_was = corpus_test(__file__, CASES)

#: Stamp files ``make data`` must survive: each means every target is made again.
HOSTILE_STAMPS = {
    "deeply nested brackets": "[" * 100_000,
    "valid JSON 5,000 levels deep": '{"package": ' + "[" * 5000 + "]" * 5000 + "}",
    "not JSON": "{not json",
    "binary": bytes(range(256)),
    "a list": "[]",
    "a target's stamps not text": '{"package": {"input:a": [1, 2]}}',
}


@pytest.mark.parametrize("label", list(HOSTILE_STAMPS))
def test_a_hostile_stamp_file_means_every_target_is_made_again(label, tmp_path):
    from ffdata.builder.tools.targets import STAMPS, TARGETS, _read_stamps, plan

    (tmp_path / STAMPS).parent.mkdir(parents=True)
    content = HOSTILE_STAMPS[label]
    data = content.encode() if isinstance(content, str) else content
    (tmp_path / STAMPS).write_bytes(data)
    assert all(step.reasons for step in plan(tmp_path))
    assert _read_stamps(tmp_path)[1].startswith(f"{STAMPS.as_posix()} is ")
    assert len(TARGETS) == len(plan(tmp_path))


def test_stamps_forged_after_an_output_was_edited_do_not_make_it_up_to_date(tmp_path):
    """An edited CSV whose sha256 and digest were recomputed in the stamps (as a careless
    merge tool could): the package's own datapackage.json disagrees, so it is made again."""
    from support import copy_package

    from ffdata.builder.tools.targets import DIGEST, STAMPS, TARGETS, digest, fingerprint, plan

    root = copy_package(tmp_path / "checkout")
    csv = root / "data" / "processed" / "countries.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace(",528,", ",529,"), encoding="utf-8")
    prints = fingerprint(TARGETS[0], root)
    (root / STAMPS).write_text(json.dumps({"package": prints | {DIGEST: digest(prints)}}))
    (step,) = plan(root, TARGETS[:1])
    assert step.reasons and "countries.csv" in step.reasons[0]


# --- faults: an exception, a kill, two builds at once ------------------------------------------

EXE = str(Path(sys.executable).with_name("ffdata"))
ROOT = RAW.parents[1]


def package_state(out: Path) -> dict[str, bytes]:
    return {k: v for k, v in snapshot(out).items() if not k.startswith(".ffdata")}


@pytest.fixture(scope="module")
def changed_raw(tmp_path_factory) -> Path:
    """A raw folder whose build differs from the published one (Tunisia 6000 -> 6001)."""
    raw = tmp_path_factory.mktemp("changed") / "raw"
    shutil.copytree(RAW, raw)
    replace_line(raw, 112, line_of(112).replace("6000", "6001"))
    return raw


@pytest.fixture(scope="module")
def changed_result(changed_raw: Path) -> pipeline.BuildState:
    """The pipeline run once on the changed raw folder: the publishing tests publish it."""
    return pipeline.run_pipeline(changed_raw)


@pytest.fixture(scope="module")
def new_state(changed_result, tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("new")
    publish(changed_result, out)
    return package_state(out)


#: A process that runs the pipeline once, then for each request ("OUT<tab>FAULT" on a
#: line) forks a child that publishes into OUT with FFDATA_FAULT=FAULT, and answers with
#: the child's exit code (-9: killed). A killed child is a real process killed mid-publish;
#: the fork saves each case the interpreter start, the imports and the pipeline.
FORKING_PUBLISHER = f"""
import os, sys
from ffdata.builder.pipeline import run_pipeline
from ffdata.builder.publish.write import publish
result = run_pipeline(sys.argv[1])
print("ready", flush=True)
for request in sys.stdin:
    out, fault = request.rstrip("\\n").split("\\t")
    pid = os.fork()
    if pid == 0:
        os.environ["{atomic.FAULT_ENV}"] = fault
        try:
            publish(result, out)
        except BaseException:
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    print(os.waitstatus_to_exitcode(status), flush=True)
"""


CLEAN_ENV = {k: v for k, v in os.environ.items() if k != atomic.FAULT_ENV}


@pytest.fixture(scope="module")
def publish_with_fault(changed_raw: Path):
    """Publish the changed build into a folder with a fault; return the exit code."""
    args = [sys.executable, "-c", FORKING_PUBLISHER, str(changed_raw)]
    process = subprocess.Popen(args, stdin=PIPE, stdout=PIPE, text=True, env=CLEAN_ENV)
    assert process.stdout.readline() == "ready\n"

    def run(out: Path, fault: str) -> int:
        process.stdin.write(f"{out}\t{fault}\n")
        process.stdin.flush()
        return int(process.stdout.readline())

    yield run
    process.stdin.close()
    process.wait(timeout=60)


@pytest.mark.parametrize("step", [stage.name for stage in pipeline.STAGES if stage.run])
@pytest.mark.parametrize("error", [FfdataError, RuntimeError])
def test_exception_in_a_pipeline_step_touches_nothing(
    step, error, changed_raw, published, monkeypatch
):
    before = snapshot(published)
    broken = mock.Mock(side_effect=error(f"injected in {step}"))
    stages = [dataclasses.replace(s, run=broken) if s.name == step else s for s in pipeline.STAGES]
    monkeypatch.setattr(pipeline, "STAGES", tuple(stages))
    with pytest.raises(error, match="injected"):
        build(changed_raw, published)
    assert snapshot(published) == before


@pytest.mark.parametrize("point", atomic.FAULT_POINTS)
def test_exception_at_each_publishing_point(
    point, changed_result, published, new_state, monkeypatch
):
    before = package_state(published)
    monkeypatch.setenv(atomic.FAULT_ENV, f"{point}:raise")
    with pytest.raises(PublishError, match=f"fault injected at {point}"):
        publish(changed_result, published)
    # "committed" fails after the commit point: the new package is complete
    assert package_state(published) == (new_state if point == "committed" else before)
    assert not (published / atomic.JOURNAL_NAME).exists()
    assert [p for p in published.iterdir() if p.name.startswith((".ffdata-s", ".ffdata-b"))] == []


@pytest.mark.parametrize("point", atomic.FAULT_POINTS)
def test_kill_at_each_publishing_point(point, publish_with_fault, published, new_state):
    before = package_state(published)
    assert publish_with_fault(published, f"{point}:kill") == -signal.SIGKILL
    with atomic.locked(published):
        atomic.recover(published)
    assert package_state(published) == (new_state if point == "committed" else before)


def test_two_builds_at_once_do_not_corrupt_each_other(changed_raw, published, new_state):
    before = package_state(published)
    builds = [
        subprocess.Popen(
            [EXE, "build", "--raw-dir", str(raw), "--out-dir", str(published)],
            env=CLEAN_ENV,
            stdout=subprocess.DEVNULL,
            stderr=PIPE,
        )
        for raw in (RAW, changed_raw)
    ]
    codes = [process.wait(timeout=300) for process in builds]
    assert codes == [0, 0], [process.stderr.read().decode() for process in builds]
    final = package_state(published)
    differ = sorted(k for k in set(final) | set(before) if final.get(k) != before.get(k))
    assert final in (before, new_state), f"neither old nor new package; differs in {differ}"
    check_package(published, frictionless=False)
