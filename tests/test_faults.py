"""Safe publishing under faults: an exception in any stage, a kill at any point of the
replacement, and two builds at once never leave a half-written or mixed package."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from support import RAW, line_of, replace_line, snapshot

import ffdata.builder.pipeline as pipeline
from ffdata.builder.build import build
from ffdata.builder.publish import atomic
from ffdata.builder.publish.package_check import check_package
from ffdata.builder.publish.write import publish
from ffdata.errors import FfdataError, PublishError

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


@pytest.fixture(scope="module")
def publish_with_fault(changed_raw: Path):
    """Publish the changed build into a folder with a fault; return the exit code."""
    env = {k: v for k, v in os.environ.items() if k != atomic.FAULT_ENV}
    process = subprocess.Popen(
        [sys.executable, "-c", FORKING_PUBLISHER, str(changed_raw)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout.readline() == "ready\n"

    def run(out: Path, fault: str) -> int:
        process.stdin.write(f"{out}\t{fault}\n")
        process.stdin.flush()
        return int(process.stdout.readline())

    yield run
    process.stdin.close()
    process.wait(timeout=60)


STEPS = [stage.name for stage in pipeline.STAGES if stage.run is not None]


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("error", [FfdataError, RuntimeError])
def test_exception_in_a_pipeline_step_touches_nothing(
    step, error, changed_raw, published, monkeypatch
):
    before = snapshot(published)

    def broken(*args, **kwargs):
        raise error(f"injected in {step}")

    stages = tuple(
        dataclasses.replace(s, run=broken) if s.name == step else s for s in pipeline.STAGES
    )
    monkeypatch.setattr(pipeline, "STAGES", stages)
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
    after = package_state(published)
    # "committed" fails after the commit point: the new package is complete
    assert after == (new_state if point == "committed" else before)
    assert not (published / atomic.JOURNAL_NAME).exists()
    assert [p for p in published.iterdir() if p.name.startswith((".ffdata-s", ".ffdata-b"))] == []


def run_build(raw: Path, out: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != atomic.FAULT_ENV}
    return subprocess.Popen(
        [EXE, "build", "--raw-dir", str(raw), "--out-dir", str(out)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def recovered_state(out: Path) -> dict[str, bytes]:
    with atomic.locked(out):
        atomic.recover(out)
    return package_state(out)


@pytest.mark.parametrize("point", atomic.FAULT_POINTS)
def test_kill_at_each_publishing_point(point, publish_with_fault, published, new_state):
    before = package_state(published)
    assert publish_with_fault(published, f"{point}:kill") == -signal.SIGKILL
    state = recovered_state(published)
    assert state == (new_state if point == "committed" else before)


def test_two_builds_at_once_do_not_corrupt_each_other(changed_raw, published, new_state):
    before = package_state(published)
    first = run_build(RAW, published)
    second = run_build(changed_raw, published)
    codes = (first.wait(timeout=300), second.wait(timeout=300))
    errors = (first.stderr.read().decode(), second.stderr.read().decode())
    assert codes == (0, 0), errors
    final = package_state(published)
    differ = sorted(k for k in set(final) | set(before) if final.get(k) != before.get(k))
    assert final in (before, new_state), f"neither old nor new package; differs in {differ}"
    check_package(published, frictionless=False)


def test_validate_reports_a_leftover_journal(published):
    (published / atomic.JOURNAL_NAME).write_text(
        '{"backup": ".ffdata-backup-x", "had_tables": true, "had_descriptor": true}'
    )
    with pytest.raises(FfdataError, match="interrupted build"):
        check_package(published, frictionless=False)
