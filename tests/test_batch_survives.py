"""gkcheck audit survives its inputs: a report that hangs, or whose worker process dies, costs
that report (an error verdict naming why), not the run. The hangs and deaths here are real: a
check kind registered only in this test sleeps, or kills its own process (SIGSEGV as a crash in a
native library would, SIGKILL as the OOM killer does); a reader monkeypatched to hang (forked
workers inherit it)."""

from __future__ import annotations

import json
import os
import signal
import time

import pytest

from tests.test_batch import PAIR_2020, PAIR_2021, audit, write_clean

TRAP_RULES = """pack: {id: trap, title: 测试}
rules:
  - id: trap.rule
    title: 陷阱
    severity: info
    basis: {instrument: 测试, confirmed: true}
    message: {zh: 陷阱}
    check: {kind: trap}
"""


def _register_trap(action, everyone: bool = False):
    """A check kind that runs `action()` on the report of the agency named 陷阱局 (or on every report)."""
    from gkcheck.checks import KINDS, register
    from gkcheck.result import Outcome

    class Trap:
        PARAMS = {"type": "object", "properties": {"kind": {}}}

        @staticmethod
        def compile(params):
            def run(report):
                if everyone or report.agency.get("name") == "陷阱局":
                    action()
                return Outcome.passed()
            return run

    register("trap", Trap)
    return KINDS


def _batch(tmp_path):
    """Five reports; the third is the trap."""
    d = tmp_path / "reports"
    d.mkdir()
    for i, name in enumerate(["甲局", "乙局", "陷阱局", "丁局", "戊局"]):
        write_clean(d, name=name, file=f"{i}.yaml")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "trap.yaml").write_text(TRAP_RULES, "utf-8")
    return d, rules


def _run_trap(tmp_path, action, *args, everyone: bool = False, fmt: str = "json"):
    kinds = _register_trap(action, everyone)
    try:
        d, rules = _batch(tmp_path)
        t = time.monotonic()
        code, out, err = audit(d, "--rules", rules, "--profile", "trap", "--format", fmt, *args)
        return code, json.loads(out) if fmt == "json" else out, err, time.monotonic() - t
    finally:
        kinds.pop("trap", None)


def _hang():
    time.sleep(3600)


@pytest.fixture
def quiet_crashes():
    """pytest's faulthandler would print every crashing worker's stack (the CLI has none)."""
    import faulthandler

    was = faulthandler.is_enabled()
    faulthandler.disable()
    yield
    if was:
        faulthandler.enable()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_check_that_hangs_times_out_and_the_rest_go_on(tmp_path, jobs):
    code, doc, err, took = _run_trap(tmp_path, _hang, "--timeout", "1.5", "--jobs", jobs)
    verdicts = [r["verdict"] for r in doc["reports"]]
    assert verdicts == ["pass", "pass", "error", "pass", "pass"] and code == 2
    error = doc["reports"][2]["error"]
    assert error.startswith(doc["reports"][2]["source"]) and "超时：检查超过 1.5 秒" in error and "--timeout" in error
    assert took < 30 and "Traceback" not in err


@pytest.mark.parametrize("how", [signal.SIGSEGV, signal.SIGKILL])
def test_a_worker_that_dies_costs_one_report(tmp_path, how, quiet_crashes):
    code, doc, err, _ = _run_trap(tmp_path, lambda: os.kill(os.getpid(), how), "--jobs", "2")
    verdicts = [r["verdict"] for r in doc["reports"]]
    assert verdicts == ["pass", "pass", "error", "pass", "pass"] and code == 2
    assert f"工作进程在检查此文件时意外退出（被信号 {how.name} 终止）" in doc["reports"][2]["error"]
    assert doc["summary"] == {"reports": 5, "pass": 4, "fail": 0, "error": 1}


def test_a_real_segfault_in_native_code(tmp_path, quiet_crashes):
    import ctypes

    code, doc, _, _ = _run_trap(tmp_path, lambda: ctypes.string_at(0), "--jobs", "1", "--timeout", "30")
    assert [r["verdict"] for r in doc["reports"]] == ["pass", "pass", "error", "pass", "pass"] and code == 2
    assert "SIGSEGV" in doc["reports"][2]["error"]


def test_a_reader_that_hangs_times_out(tmp_path, monkeypatch):
    import gkcheck.extract

    real = gkcheck.extract.read_report

    def slow(path, data=None):
        if path.endswith("2020.yaml"):
            time.sleep(3600)
        return real(path, data)

    monkeypatch.setattr(gkcheck.extract, "read_report", slow)  # inherited by the forked workers
    code, out, err = audit(PAIR_2020, PAIR_2021, "--format", "json", "--jobs", "2", "--timeout", "1")
    doc = json.loads(out)
    assert code == 2 and doc["reports"][0]["verdict"] == "error" and "超时：读取超过 1 秒" in doc["reports"][0]["error"]
    assert doc["reports"][1]["verdict"] in ("pass", "fail") and doc["pairs"] == []


def test_every_worker_dying_on_every_report_still_ends(tmp_path):
    """Each death costs one report; the batch neither loops nor stops early."""
    code, out, _, _ = _run_trap(tmp_path, lambda: os._exit(3), "--jobs", "2", everyone=True, fmt="csv")
    assert code == 2 and out.count("意外退出（退出码 3）") == 5


def test_timeout_zero_and_one_job_runs_in_this_process(tmp_path, monkeypatch):
    import gkcheck.batch.workers as workers

    def refuse(*a, **k):
        raise AssertionError("no worker process expected")

    monkeypatch.setattr(workers.Workers, "__init__", refuse)
    code, out, _ = audit(PAIR_2020, PAIR_2021, "--format", "json", "--jobs", "1", "--timeout", "0")
    assert code in (0, 1) and len(json.loads(out)["reports"]) == 2


def test_workers_that_cannot_start_stop_the_batch_with_one_line(tmp_path, monkeypatch):
    import gkcheck.batch.worker as worker

    monkeypatch.setattr(worker, "init_worker", lambda *a, **k: os._exit(1))
    out = tmp_path / "audit.json"
    code, _, err = audit(PAIR_2020, PAIR_2021, "--format", "json", "--jobs", "2", "-o", out)
    assert code == 2 and "工作进程无法启动（退出码 1）" in err and "Traceback" not in err
    assert not out.exists() and os.listdir(tmp_path) == []


def test_a_worker_dying_mid_chunk_costs_only_the_report_on_hand(tmp_path, quiet_crashes):
    """64 reports go out in chunks of 4: the worker that dies on the trap had finished others of
    its chunk, whose results died with it; they are done again, only the trap is lost."""
    kinds = _register_trap(lambda: os.kill(os.getpid(), signal.SIGKILL))
    try:
        d, rules = _batch(tmp_path)
        for i in range(5, 64):
            write_clean(d, name=f"第{i}局", file=f"{i}.yaml")
        code, out, _ = audit(d, "--rules", rules, "--profile", "trap", "--format", "json", "--jobs", "2")
        doc = json.loads(out)
        errors = [r["source"] for r in doc["reports"] if r["verdict"] == "error"]
        assert code == 2 and doc["summary"]["reports"] == 64 and len(errors) == 1 and errors[0].endswith("2.yaml")
    finally:
        kinds.pop("trap", None)
