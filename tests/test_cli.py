"""The loaders CLI as a data steward uses it: parse one file, check a folder of good and bad files."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from project_paths import REPORTS_DIR, ROOT

SEED_002 = REPORTS_DIR / "002_e1e9dc7755af7730.txt"


def run(*args, cwd=ROOT):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "loaders", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


def test_parse_prints_the_record():
    r = run("parse", str(SEED_002))
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["source"]["family"] == "national_project_form"
    assert data["evaluations"][0]["unit"]["name"] == "霍邱县总工会"


def test_parse_unreadable_is_one_line_and_exit_2(tmp_path):
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    r = run("parse", str(f))
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.strip().count("\n") == 0 and "empty.txt" in r.stderr and "空文件" in r.stderr
    assert "Traceback" not in r.stderr


def test_parse_unrecognized_prints_json_and_reason_exit_3(tmp_path):
    f = tmp_path / "poem.txt"
    f.write_text("床前明月光，疑是地上霜。\n举头望明月，低头思故乡。\n", encoding="utf-8")
    r = run("parse", str(f))
    assert r.returncode == 3
    data = json.loads(r.stdout)
    assert data["evaluations"] == [] and "未识别" in data["error"]
    assert "未识别" in r.stderr


def test_parse_missing_file(tmp_path):
    r = run("parse", str(tmp_path / "nope.txt"))
    assert r.returncode == 2 and "文件不存在" in r.stderr


@pytest.fixture()
def mixed_folder(tmp_path):
    d = tmp_path / "batch"
    d.mkdir()
    seed = SEED_002.read_text(encoding="utf-8")
    (d / "a_good.txt").write_text(seed, encoding="utf-8")
    (d / "b_empty.txt").write_bytes(b"")
    (d / "c_binary.txt").write_bytes(bytes(range(256)) * 64)
    (d / "d_gbk.txt").write_bytes(seed.encode("gbk"))
    (d / "e_truncated.txt").write_text(seed[: len(seed) // 3], encoding="utf-8")
    (d / "f_unknown.txt").write_text("会议纪要\n今天讨论了食堂菜单。\n", encoding="utf-8")
    (d / "g_huge.txt").write_bytes(("无关的文字" * 10 + "\n").encode("utf-8") * 140_000)  # ~20 MB
    (d / "h_old.doc").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
    return d


def test_check_reports_every_file_and_continues(mixed_folder):
    r = run("check", "-q", str(mixed_folder))
    assert "Traceback" not in r.stdout + r.stderr
    lines = {line.split("\t")[0].rsplit("/", 1)[-1]: line for line in r.stdout.strip().splitlines()}
    assert sorted(lines) == sorted(p.name for p in mixed_folder.iterdir())
    assert "霍邱县总工会" in lines["a_good.txt"] and "2023" in lines["a_good.txt"]
    assert "霍邱县总工会" in lines["d_gbk.txt"], "a GBK copy must parse like the UTF-8 original"
    assert "空文件" in lines["b_empty.txt"]
    assert "二进制" in lines["c_binary.txt"]
    assert "UNRECOGNIZED" in lines["f_unknown.txt"]
    assert "文件过大" in lines["g_huge.txt"]
    assert ".docx" in lines["h_old.doc"]
    trunc = lines["e_truncated.txt"]
    assert "ERROR" not in trunc  # read fine; recognized with what is there, or reported unrecognized
    assert r.returncode == 1  # some files failed


def test_gbk_copy_gives_the_same_record_as_utf8(tmp_path):
    seed = SEED_002.read_text(encoding="utf-8")
    (tmp_path / "u.txt").write_text(seed, encoding="utf-8")
    (tmp_path / "g.txt").write_bytes(seed.encode("gb18030"))
    a = json.loads(run("parse", str(tmp_path / "u.txt")).stdout)
    b = json.loads(run("parse", str(tmp_path / "g.txt")).stdout)
    assert a["evaluations"] == b["evaluations"]
    assert b["source"]["encoding"] == "gb18030"
