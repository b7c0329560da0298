"""The dashboard's local users file: names, roles, region scopes and salted password hashes.

The file is TOML (data/users.toml by default, DASHBOARD_USERS names another), written only by
`python -m warehouse users add|passwd|remove` (mode 0600, replaced atomically):

    [users.zhang]
    role = "viewer"          # viewer | analyst | steward | admin
    region = "360104"        # GB/T 2260 code: province "36", city "3601", county "360104"; "" = national
    email = ""               # matched against the identity of an OIDC sign-in (st.login), optional
    password = "scrypt$16384$8$1$<salt hex>$<hash hex>"

Passwords are never stored: scrypt (standard library) with a 16-byte random salt per user. When
the file does not exist the dashboard runs in single-user local mode (see dashboard/auth.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
USERS_ENV = "DASHBOARD_USERS"

# Each role can do what the roles before it can, and more.
ROLES: tuple[str, ...] = ("viewer", "analyst", "steward", "admin")
ROLE_LABELS = {"viewer": "浏览者", "analyst": "分析员", "steward": "数据管理员", "admin": "系统管理员"}
# What each permission needs at least.
PERMISSIONS = {
    "browse": "viewer",   # every page of figures and the report text
    "sql": "analyst",     # the SQL console
    "export": "analyst",  # CSV / Excel downloads
    "import": "steward",  # the import page (uploads, loading into the warehouse)
    "admin": "admin",
}
NAME_RE = re.compile(r"[A-Za-z0-9_.@-]{1,64}")
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = 8


class UsersError(ValueError):
    """A bad name, role, region or password, or an unreadable users file (message in Chinese)."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    region: str = ""  # normalised GB/T 2260 prefix: "", "36", "3601" or "360104"
    email: str = ""
    password: str = ""  # the scrypt record, never the password

    def can(self, permission: str) -> bool:
        return can(self.role, permission)


def can(role: str, permission: str) -> bool:
    need = PERMISSIONS.get(permission)
    return need is not None and role in ROLES and ROLES.index(role) >= ROLES.index(need)


def normalise_region(code: str | None) -> str:
    """A GB/T 2260 code as the prefix it stands for: '' (national), 2, 4 or 6 digits; a six-digit
    code of a province or city ('360000', '360100') is the same as its prefix ('36', '3601')."""
    code = (code or "").strip()
    if code in ("", "0", "000000", "全国"):
        return ""
    if not re.fullmatch(r"\d{2}|\d{4}|\d{6}", code):
        raise UsersError(f"地区代码应为 2 位（省）、4 位（市）或 6 位（县区）数字，或留空表示全国：{code!r}")
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UsersError(f"角色应为 {' / '.join(ROLES)} 之一：{role!r}")
    return role


def check_name(name: str) -> str:
    if not NAME_RE.fullmatch(name or ""):
        raise UsersError(f"用户名只能用字母、数字和 _ . @ -，1–64 个字符：{name!r}")
    return name


# ---------------------------------------------------------------------------------------------
# Passwords


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UsersError(f"密码至少 {MIN_PASSWORD} 个字符")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


# Compared against when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY = f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${'00' * 16}${'00' * 32}"


def verify_password(record: str, password: str) -> bool:
    try:
        kind, n, r, p, salt, digest = record.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(bytes.fromhex(digest)), maxmem=2**27)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got.hex(), digest)


# ---------------------------------------------------------------------------------------------
# The file


def users_path() -> Path:
    env = os.environ.get(USERS_ENV)
    return Path(env) if env else ROOT / "data" / "users.toml"


def load(path: Path | None = None) -> dict[str, User]:
    """Every user of the file (an empty dict when there is no file)."""
    path = path or users_path()
    if not path.exists():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise UsersError(f"无法读取用户文件 {path}：{e}") from None
    out: dict[str, User] = {}
    for name, entry in (raw.get("users") or {}).items():
        if not isinstance(entry, dict):
            continue
        out[name] = User(check_name(name), check_role(str(entry.get("role", ""))),
                         normalise_region(str(entry.get("region", ""))), str(entry.get("email", "")),
                         str(entry.get("password", "")))
    return out


def save(users: dict[str, User], path: Path | None = None) -> None:
    path = path or users_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# 看板用户（python -m warehouse users 管理；密码只存加盐散列）", ""]
    for u in sorted(users.values(), key=lambda u: u.name):
        lines += [f"[users.{json.dumps(u.name)}]", f"role = {json.dumps(u.role)}",
                  f"region = {json.dumps(u.region)}", f"email = {json.dumps(u.email, ensure_ascii=False)}",
                  f"password = {json.dumps(u.password)}", ""]
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    os.replace(tmp, path)


def add(name: str, role: str, region: str, password: str, email: str = "", path: Path | None = None) -> User:
    users = load(path)
    if check_name(name) in users:
        raise UsersError(f"用户 {name} 已存在（改密码用 passwd，改角色或地区先 remove 再 add）")
    user = User(name, check_role(role), normalise_region(region), email, hash_password(password))
    users[name] = user
    save(users, path)
    return user


def set_password(name: str, password: str, path: Path | None = None) -> None:
    users = load(path)
    if name not in users:
        raise UsersError(f"没有用户 {name}")
    users[name] = replace(users[name], password=hash_password(password))
    save(users, path)


def remove(name: str, path: Path | None = None) -> None:
    users = load(path)
    if name not in users:
        raise UsersError(f"没有用户 {name}")
    del users[name]
    save(users, path)


def authenticate(name: str, password: str, path: Path | None = None) -> User | None:
    """The user when the name and password match, else None (in about the same time either way)."""
    user = load(path).get(name or "")
    ok = verify_password(user.password if user else _DUMMY, password or "")
    return user if user and ok else None


def by_email(email: str, path: Path | None = None) -> User | None:
    """The user an OIDC identity (its e-mail) stands for: the entry with that email, or that name."""
    if not email:
        return None
    users = load(path)
    return next((u for u in users.values() if u.email and u.email.lower() == email.lower()), users.get(email))
