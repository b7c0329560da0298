"""Loads that survive faults (issue 13): what cannot be read is skipped with its reason, a worker
that dies fails only the file it was on, a killed load leaves no worker holding the lock, and a
copy of a failed file is reported failed by check and load alike."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from warehouse.load import load_paths
from warehouse_fakes import fake_parse, q, record, write_record

ROOT = Path(__file__).resolve().parents[2]
ENV = dict(os.environ, PYTHONPATH=str(ROOT))


def cli(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "loaders", *args], capture_output=True, text=True, cwd=ROOT,
                          env=ENV, timeout=timeout)


def faulty_parse(data: bytes, path: str):
    """fake_parse, except: {"die": true} kills its own process (as the OOM killer would);
    {"stuck": true} blocks the time-limit signal and sleeps (stuck where the alarm cannot reach);
    {"hog": true} allocates 8 GB."""
    doc = json.loads(data)
    if doc.get("die"):
        os.kill(os.getpid(), signal.SIGKILL)
    if doc.get("stuck"):
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])
        time.sleep(600)
    if doc.get("hog"):
        bytearray(8 * 1024**3)
    return fake_parse(data, path)


def _good(folder: Path, n: int) -> list[Path]:
    return [write_record(folder, f"{i:03d}_good.txt", record(unit=f"{i}县总工会")) for i in range(n)]


# ---------------------------------------------------------------------------------------------
# Paths that are not report files


@pytest.mark.timeout(120)
def test_a_fifo_in_the_folder_is_skipped_with_its_reason_and_the_load_completes(tmp_path):
    folder = tmp_path / "in"
    _good(folder, 2)
    os.mkfifo(folder / "pipe.txt")
    db = tmp_path / "w.duckdb"
    r = cli("load", str(folder), "--db", str(db), "-q", timeout=60)
    assert r.returncode == 1, r.stderr  # loaded, but a path was skipped
    assert f"跳过: {folder / 'pipe.txt'}: 不是普通文件，而是命名管道 (FIFO)" in r.stdout
    assert q(db, "SELECT count(*) FROM source_file WHERE file_name = 'pipe.txt'") == [(0,)]
    c = cli("check", str(folder), "-q", timeout=60)
    assert f"{folder / 'pipe.txt'}\tSKIPPED\t不是普通文件" in c.stdout
    p = cli("parse", str(folder / "pipe.txt"), timeout=60)
    assert p.returncode == 2 and "命名管道 (FIFO)" in p.stderr


def test_symlinks_out_of_the_folder_or_looping_are_skipped_and_not_stored(tmp_path):
    folder = tmp_path / "in"
    _good(folder, 2)
    (folder / "x.txt").symlink_to("/etc/passwd")
    (folder / "loop1.txt").symlink_to(folder / "loop2.txt")
    (folder / "loop2.txt").symlink_to(folder / "loop1.txt")
    (folder / "gone.txt").symlink_to(folder / "missing.txt")
    (folder / "inside.txt").symlink_to(folder / "000_good.txt")  # inside: read like the file
    db = tmp_path / "w.duckdb"
    s = load_paths([str(folder)], db, workers=1, parser=fake_parse)
    reasons = {Path(e["path"]).name: e["reason"] for e in s.skipped}
    assert set(reasons) == {"x.txt", "loop1.txt", "loop2.txt", "gone.txt"}
    assert "指向所载入的文件夹之外 (→ /etc/passwd)" in reasons["x.txt"]
    assert "符号链接循环" in reasons["loop1.txt"] and "不存在" in reasons["gone.txt"]
    assert (s.new, s.unchanged, s.failed) == (2, 1, 0) and not s.ok
    assert all(f"跳过: {e['path']}: {e['reason']}" in s.report() for e in s.skipped)
    assert q(db, "SELECT count(*) FROM source_line WHERE text LIKE 'root:%'") == [(0,)]
    assert q(db, "SELECT count(*) FROM source_file WHERE file_name = 'x.txt'") == [(0,)]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_an_unreadable_folder_is_named(tmp_path):
    folder = tmp_path / "in"
    _good(folder, 1)
    locked = folder / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        s = load_paths([str(folder)], tmp_path / "w.duckdb", workers=1, parser=fake_parse)
    finally:
        locked.chmod(0o755)
    assert [(e["path"], e["reason"][:7]) for e in s.skipped] == [(str(locked), "无法读取文件夹")]


def test_a_copy_of_a_failed_file_is_failed_in_check_and_load(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"")
    (folder / "b.txt").write_bytes(b"")
    (folder / "c.txt").write_bytes(b"\x00\x01junk" * 10)
    (folder / "d.txt").write_bytes(b"\x00\x01junk" * 10)
    db = tmp_path / "w.duckdb"
    c = cli("check", str(folder), "-q")
    assert c.stdout.count("\tERROR\t") == 4 and "4 个失败或未识别" in c.stderr
    for attempt in (1, 2):  # the second load has the failures in the warehouse already
        r = cli("load", str(folder), "--db", str(db), "-q")
        assert r.returncode == 1
        assert "失败 4（其中未识别 0）" in r.stdout and "未变 0" in r.stdout, (attempt, r.stdout)
        assert f"失败: {folder / 'b.txt'}: 空文件 (没有任何文字)（与 {folder / 'a.txt'} 内容相同）" in r.stdout


# ---------------------------------------------------------------------------------------------
# Workers that die or hang


def test_a_worker_killed_mid_batch_fails_its_file_and_the_rest_loads(tmp_path):
    folder = tmp_path / "in"
    _good(folder, 40)
    killer = folder / "017_killed.txt"
    killer.write_text(json.dumps({"die": True}), encoding="utf-8")
    db = tmp_path / "w.duckdb"
    s = load_paths([str(folder)], db, workers=2, parser=faulty_parse)
    assert (s.new, s.failed, s.evaluations) == (40, 1, 40)
    (error,) = s.errors
    assert error["path"] == str(killer) and "解析进程意外终止 (信号 SIGKILL" in error["error"]
    assert q(db, "SELECT count(*) FROM v_evaluation") == [(40,)]
    assert q(db, "SELECT status FROM source_file WHERE file_name = '017_killed.txt'") == [("failed",)]


def test_a_file_stuck_where_the_alarm_cannot_reach_gets_its_worker_killed(tmp_path):
    folder = tmp_path / "in"
    _good(folder, 40)
    (folder / "005_stuck.txt").write_text(json.dumps({"stuck": True}), encoding="utf-8")
    started = time.monotonic()
    s = load_paths([str(folder)], tmp_path / "w.duckdb", workers=2, parser=faulty_parse, parse_seconds=0.5)
    assert time.monotonic() - started < 30
    assert (s.new, s.failed) == (40, 1)
    assert s.errors[0]["error"].startswith("解析超时 (超过 0.5 秒)")


def test_a_file_that_needs_too_much_memory_fails_with_the_memory_limit(tmp_path):
    folder = tmp_path / "in"
    _good(folder, 40)
    (folder / "009_hog.txt").write_text(json.dumps({"hog": True}), encoding="utf-8")
    s = load_paths([str(folder)], tmp_path / "w.duckdb", workers=2, parser=faulty_parse)
    assert (s.new, s.failed) == (40, 1)
    assert s.errors[0]["error"].startswith("解析所需内存超过上限")


# ---------------------------------------------------------------------------------------------
# A load killed with SIGKILL


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


@pytest.mark.timeout(300)
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_sigkill_of_a_load_leaves_no_worker_holding_the_lock_and_the_next_load_completes(tmp_path):
    corpus = tmp_path / "demo"
    subprocess.run([sys.executable, "-m", "loaders.demo", "--units", "8", "--years", "2022-2023", "--seed", "5",
                    "--out", str(corpus)], check=True, capture_output=True, cwd=ROOT, env=ENV, timeout=120)
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix in (".txt", ".docx", ".xlsx", ".pdf"))
    assert len(files) > 40
    db = tmp_path / "w.duckdb"
    first = files[:10]
    r = cli("load", *map(str, first), "--db", str(db), "-q", timeout=120)
    assert r.returncode in (0, 1), r.stderr
    before = q(db, "SELECT sha256 FROM source_file ORDER BY 1")
    before_bytes = db.read_bytes()

    load = subprocess.Popen([sys.executable, "-m", "loaders", "load", str(corpus), "--db", str(db), "-q",
                             "--workers", "2"], cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and not workers:  # mid-way: the pool is parsing
        workers = _children(load.pid)
        time.sleep(0.05)
    assert workers, "the load started no workers"
    time.sleep(0.3)
    load.kill()
    load.wait()
    assert db.read_bytes() == before_bytes  # the warehouse is as it was
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{w}") and _alive(w) for w in workers):
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)], "workers outlived the killed load"

    again = cli("load", str(corpus), "--db", str(db), "-q", timeout=240)
    assert again.returncode in (0, 1), again.stderr
    after = {sha for (sha,) in q(db, "SELECT sha256 FROM source_file")}
    assert {sha for (sha,) in before} <= after  # nothing already loaded is lost
    assert q(db, "SELECT count(DISTINCT sha256) FROM source_file")[0][0] == len(after)
    # every file of the corpus is in the warehouse once
    import hashlib

    assert {hashlib.sha256(p.read_bytes()).hexdigest() for p in files} == after


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1][:1] not in ("Z", "X")
    except OSError:
        return False


def test_a_folder_whose_listing_is_refused_is_named(tmp_path, monkeypatch):
    # the same case as above, run as any user (root reads every folder, so here the refusal is
    # made by the operating-system call itself: os.scandir raising PermissionError)
    import loaders.files as files

    folder = tmp_path / "in"
    _good(folder, 1)
    locked = folder / "locked"
    locked.mkdir()
    real = os.scandir

    def scandir(path):
        if os.path.realpath(path) == os.path.realpath(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(files.os, "scandir", scandir)
    s = load_paths([str(folder)], tmp_path / "w.duckdb", workers=1, parser=fake_parse)
    assert [(e["path"], e["reason"][:7]) for e in s.skipped] == [(str(locked), "无法读取文件夹")]
    assert s.new == 1 and not s.ok
