"""One throw-away process per untrusted query (used by warehouse.safe.run_query).

Starting Python and importing DuckDB and Arrow costs about half a second, too much for an
interactive console, and forking the dashboard itself is unsafe (it has many threads, some of
them inside DuckDB). So a small single-threaded server process (the zygote) is started once per
process that runs queries, imports DuckDB and Arrow, and forks one child per query:

    parent ──(socketpair end, passed over a SEQPACKET socket)──▶ zygote ──fork──▶ child

The child sends its pid, receives the request, runs it on a fresh in-memory database
(warehouse.safe.execute) under an address-space limit, sends the Arrow result back and exits.
The parent kills it (through a pidfd, so never another process that reused the pid) when the
time limit passes, waits until it is gone and removes its spill folder. The child also has an
alarm of its own, so it dies even if the parent is gone; the zygote exits when its parent's
end of the socket closes.
At most SQL_MAX_PROCESSES (default 2) queries run at once per parent process; the next waits.
"""

from __future__ import annotations

import atexit
import json
import logging
import math
import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
MAX_PROCESSES_ENV = "SQL_MAX_PROCESSES"
STARTUP_TIMEOUT_S = 60.0  # the zygote's first start (imports) and a fork; not part of the query's time
WATCH_INTERVAL_S = 0.02  # how often the parent looks at a running query's memory
_PAGE = os.sysconf("SC_PAGE_SIZE")
TRANSFER_GRACE_S = 10.0  # to hand over a finished result (at most max_result_bytes)
_HEADER = struct.Struct("!Q")

_slots = threading.BoundedSemaphore(max(1, int(os.environ.get(MAX_PROCESSES_ENV) or 2)))
_zygote_lock = threading.Lock()
_zygote: _Zygote | None = None


# ---------------------------------------------------------------------------------------------
# Framing: 8-byte length, then the bytes


def _send(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(_HEADER.pack(len(payload)))
    sock.sendall(payload)


def _recv_exact(sock: socket.socket, n: int, deadline: float) -> bytes:
    buf = bytearray(n)
    view, got = memoryview(buf), 0
    while got < n:
        sock.settimeout(max(deadline - time.monotonic(), 0.001))
        k = sock.recv_into(view[got:], n - got)
        if not k:
            raise EOFError
        got += k
    return bytes(buf)


def _recv(sock: socket.socket, deadline: float, limit: int = 2**31) -> bytes:
    (n,) = _HEADER.unpack(_recv_exact(sock, _HEADER.size, deadline))
    if n > limit:
        raise EOFError
    return _recv_exact(sock, n, deadline)


# ---------------------------------------------------------------------------------------------
# The parent side


class _Zygote:
    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = dict(os.environ)
        # Single-threaded, so forking it is safe: no BLAS pool, no jemalloc background thread;
        # Arrow on the system allocator, which reserves no address space ahead of use.
        env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
                   JE_ARROW_MALLOC_CONF="background_thread:false", ARROW_DEFAULT_MEMORY_POOL="system")
        code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
                f"from warehouse.sqlrun import zygote_main; zygote_main({theirs.fileno()})")
        self.proc = subprocess.Popen([sys.executable, "-c", code], pass_fds=(theirs.fileno(),), env=env,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, close_fds=True)
        theirs.close()
        self.sock = ours
        self.owner = os.getpid()
        self.lock = threading.Lock()

    def alive(self) -> bool:
        return self.owner == os.getpid() and self.proc.poll() is None

    def submit(self, conn: socket.socket) -> None:
        with self.lock:
            socket.send_fds(self.sock, [b"q"], [conn.fileno()])

    def close(self) -> None:
        try:
            self.sock.close()
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()


def _get_zygote() -> _Zygote:
    global _zygote
    with _zygote_lock:
        if _zygote is None or not _zygote.alive():
            if _zygote is None:
                atexit.register(shutdown)
            _zygote = _Zygote()
        return _zygote


def warm() -> None:
    """Start the zygote now (it imports in the background), so the first query does not wait."""
    _get_zygote()


def shutdown() -> None:
    global _zygote
    with _zygote_lock:
        if _zygote is not None and _zygote.owner == os.getpid():
            _zygote.close()
        _zygote = None


class _Child:
    """A forked query process, addressed through a pidfd where the kernel has them."""

    def __init__(self, pid: int):
        self.pid = pid
        try:
            self.fd: int | None = os.pidfd_open(pid)
        except (AttributeError, OSError):
            self.fd = None

    def gone(self, wait: float = 0.0) -> bool:
        if self.fd is not None:
            return _readable(self.fd, wait)
        end = time.monotonic() + wait
        while True:
            if not _pid_alive(self.pid):
                return True
            if time.monotonic() >= end:
                return False
            time.sleep(0.01)

    def rss(self) -> int:
        """Resident memory in bytes (0 once the process is gone)."""
        try:
            with open(f"/proc/{self.pid}/statm") as f:
                return int(f.read().split()[1]) * _PAGE
        except (OSError, IndexError, ValueError):
            return 0

    def kill(self) -> None:
        try:
            if self.fd is not None:
                signal.pidfd_send_signal(self.fd, signal.SIGKILL)
            else:
                os.kill(self.pid, signal.SIGKILL)
        except (ProcessLookupError, OSError):
            pass

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _readable(fd: int, wait: float) -> bool:
    """poll(), not select(): a busy server may hold file descriptors past select's 1024."""
    p = select.poll()
    p.register(fd, select.POLLIN)
    return bool(p.poll(max(wait, 0) * 1000))


_swept: set[Path] = set()


def _sweep(temp_root: Path) -> None:
    """Once per process and folder: remove spill folders a killed server left behind (a day old)."""
    if temp_root in _swept:
        return
    _swept.add(temp_root)
    cutoff = time.time() - 86400
    for stale in temp_root.glob("q-*"):
        try:
            if stale.stat().st_mtime < cutoff:
                shutil.rmtree(stale, ignore_errors=True)
        except OSError:
            pass


def _pid_alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def run(request: dict, temp_root: Path):
    """Run `request` (see warehouse.safe.run_query) in a fresh child; SafeResult or QueryRefused."""
    from warehouse.safe import QueryRefused, QueryTimeout, SafeResult

    timeout = request["timeout_s"]
    if not _slots.acquire(timeout=timeout):
        raise QueryRefused("同时运行的查询过多，请稍后再试 (too many queries running; try again shortly)")
    child: _Child | None = None
    temp_dir = ""
    ours = theirs = None
    try:
        try:
            temp_root.mkdir(parents=True, exist_ok=True)
            _sweep(temp_root)
            temp_dir = tempfile.mkdtemp(prefix="q-", dir=temp_root)
        except OSError:  # a read-only data folder: no spilling, sorts must fit in memory
            temp_dir = ""
        for attempt in (1, 2):  # a zygote that died since the last query is replaced once
            ours, theirs = socket.socketpair()
            try:
                _get_zygote().submit(theirs)
                theirs.close()
                theirs = None
                hello = json.loads(_recv(ours, time.monotonic() + STARTUP_TIMEOUT_S, 1024))
                break
            except (EOFError, OSError, ValueError):
                for s in (ours, theirs):
                    if s is not None:
                        s.close()
                ours = theirs = None
                if attempt == 2:
                    raise QueryRefused("查询进程未能启动，请稍后再试 (the query process did not start)") from None
                shutdown()
        child = _Child(int(hello["pid"]))
        t0 = time.perf_counter()
        deadline = time.monotonic() + timeout
        mb = request["memory_bytes"] // 2**20
        died = QueryRefused(f"查询进程意外结束，多半是所需内存超过上限（{mb:,} MB），请缩小范围 "
                            f"(the query process died, most likely over the {mb} MB memory limit)", pid=child.pid)
        try:
            _send(ours, json.dumps({**request, "temp_dir": temp_dir}).encode())
        except OSError:
            raise died from None
        # Wait for the answer, watching the clock and the child's resident memory.
        while not _readable(ours.fileno(), min(WATCH_INTERVAL_S, deadline - time.monotonic())):
            if time.monotonic() >= deadline:
                child.kill()
                raise QueryTimeout(f"查询超过 {timeout:g} 秒已停止，请加筛选条件或 LIMIT "
                                   f"(stopped after {timeout:g} s; add filters or a LIMIT)", pid=child.pid)
            if child.rss() > request["memory_bytes"]:
                child.kill()
                raise QueryRefused(f"查询所需内存超过上限（{mb:,} MB）已停止，请缩小范围或加 LIMIT "
                                   f"(stopped: the query needs more memory than the {mb} MB allowed)", pid=child.pid)
        try:
            header = json.loads(_recv(ours, time.monotonic() + TRANSFER_GRACE_S, 2**20))
        except (EOFError, OSError, ValueError):
            raise died from None
        if "error" in header:
            cls = QueryTimeout if header["error"] == "timeout" else QueryRefused
            raise cls(header["message"], detail=header.get("detail"), pid=child.pid)
        try:
            payload = _recv(ours, time.monotonic() + TRANSFER_GRACE_S, request["max_result_bytes"] * 2 + 2**20)
        except (EOFError, OSError):
            raise QueryRefused("查询结果未能传回，请缩小范围 (the result could not be handed back)",
                               pid=child.pid) from None
        import pyarrow as pa

        table = pa.ipc.open_stream(payload).read_all()
        return SafeResult(table=table, truncated=bool(header["truncated"]), seconds=time.perf_counter() - t0,
                          pid=child.pid)
    finally:
        for s in (ours, theirs):
            if s is not None:
                s.close()
        if child is not None:
            if not child.gone(0.5):
                child.kill()
                if not child.gone(5.0):
                    log.warning("SQL query process %s did not exit after SIGKILL", child.pid)
            child.close()
        if temp_dir:
            shutil.rmtree(temp_dir, ignore_errors=True)
        _slots.release()


# ---------------------------------------------------------------------------------------------
# The zygote and its children


def zygote_main(fd: int) -> None:
    """Serve forks until the parent closes the socket or dies (its end of the socket closes
    then too; no PR_SET_PDEATHSIG: that follows the parent's *thread*, and Streamlit's script
    threads come and go)."""
    import duckdb  # noqa: F401 - imported once here, inherited by every child
    import pyarrow  # noqa: F401
    import pyarrow.ipc  # noqa: F401

    import warehouse.safe  # noqa: F401

    ctl = socket.socket(fileno=fd)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in a terminal reaches the parent only
    while True:
        try:
            msg, fds, _flags, _addr = socket.recv_fds(ctl, 16, 1)
        except OSError:
            break
        if not msg and not fds:
            break  # the parent closed its end
        for conn_fd in fds[1:]:
            os.close(conn_fd)
        if not fds:
            continue
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                ctl.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                _child_main(socket.socket(fileno=fds[0]))
                code = 0
            finally:
                os._exit(code)
        os.close(fds[0])


def _child_main(sock: socket.socket) -> None:
    from warehouse.safe import execute

    _send(sock, json.dumps({"pid": os.getpid()}).encode())
    request = json.loads(_recv(sock, time.monotonic() + STARTUP_TIMEOUT_S))
    # Backstop: the parent kills this process at the time limit; if the parent is gone, the
    # kernel does it a little later (SIGALRM's default action ends the process, GIL or not).
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(math.ceil(request["timeout_s"]) + 3)
    header, payload = execute(request, request["temp_dir"])
    _send(sock, json.dumps(header, ensure_ascii=False).encode())
    if payload:
        _send(sock, payload)
    sock.close()

