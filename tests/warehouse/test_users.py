"""The dashboard's users file (warehouse/users.py) and `python -m warehouse users …`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from warehouse import users

ROOT = Path(__file__).resolve().parents[2]


def test_passwords_are_salted_scrypt_hashes_never_plain_text(tmp_path):
    path = tmp_path / "users.toml"
    users.add("alice", "viewer", "360104", "correct horse", path=path)
    users.add("bob", "analyst", "", "correct horse", path=path)
    text = path.read_text()
    assert "correct horse" not in text
    a, b = users.load(path)["alice"].password, users.load(path)["bob"].password
    assert a.startswith("scrypt$") and b.startswith("scrypt$") and a != b  # same password, other salt
    assert users.authenticate("alice", "correct horse", path).role == "viewer"
    assert users.authenticate("alice", "wrong password", path) is None
    assert users.authenticate("nobody", "correct horse", path) is None
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_roles_build_on_each_other():
    assert users.can("viewer", "browse") and not users.can("viewer", "sql") and not users.can("viewer", "export")
    assert users.can("analyst", "sql") and users.can("analyst", "export") and not users.can("analyst", "import")
    assert users.can("steward", "import") and users.can("steward", "sql") and not users.can("steward", "admin")
    assert all(users.can("admin", p) for p in users.PERMISSIONS)
    assert not users.can("boss", "browse") and not users.can("admin", "no such permission")


@pytest.mark.parametrize("code, prefix", [("", ""), ("36", "36"), ("360000", "36"), ("3601", "3601"),
                                          ("360100", "3601"), ("360104", "360104")])
def test_region_codes_become_prefixes(code, prefix):
    assert users.normalise_region(code) == prefix


@pytest.mark.parametrize("bad", ["3", "36010", "abc", "36%", "36' OR 1=1 --"])
def test_bad_region_codes_are_refused(bad):
    with pytest.raises(users.UsersError):
        users.normalise_region(bad)


def test_bad_names_roles_and_short_passwords_are_refused(tmp_path):
    path = tmp_path / "users.toml"
    for name, role, pw in (("a b", "viewer", "longenough"), ("ok", "boss", "longenough"), ("ok", "viewer", "short")):
        with pytest.raises(users.UsersError):
            users.add(name, role, "", pw, path=path)
    users.add("ok", "viewer", "", "longenough", path=path)
    with pytest.raises(users.UsersError):
        users.add("ok", "viewer", "", "longenough", path=path)


def cli(*args, stdin="", path):
    env = {**os.environ, users.USERS_ENV: str(path)}
    return subprocess.run([sys.executable, "-m", "warehouse", "users", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_cli_add_list_passwd_remove(tmp_path):
    path = tmp_path / "users.toml"
    r = cli("add", "zhang", "--role", "viewer", "--region", "360104", stdin="first-password\n", path=path)
    assert r.returncode == 0, r.stderr
    assert "first-password" not in path.read_text()
    r = cli("add", "li", "--role", "analyst", stdin="other-password\n", path=path)
    assert r.returncode == 0, r.stderr
    listed = cli("list", path=path).stdout.splitlines()
    assert listed == ["li\tanalyst\t全国\t", "zhang\tviewer\t360104\t"]
    assert cli("passwd", "zhang", stdin="second-password\n", path=path).returncode == 0
    assert users.authenticate("zhang", "second-password", path) and not users.authenticate("zhang", "first-password", path)
    assert cli("remove", "li", path=path).returncode == 0
    assert list(users.load(path)) == ["zhang"]
    bad = cli("add", "wang", "--role", "viewer", "--region", "3", stdin="some-password\n", path=path)
    assert bad.returncode == 1 and "地区代码" in bad.stderr
    assert cli("remove", "nobody", path=path).returncode == 1
