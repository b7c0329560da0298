"""Parsing untrusted files under hard limits: a child process with a wall clock and a memory cap.

A report folder or an upload can hold anything, including files built to make a parser run for
ever or eat all memory. The readers refuse what they can recognise (loaders.read.guard and the
limits in loaders.read.base), and `time_limit` interrupts a slow parse, but only between Python
bytecodes and only in a process's main thread. What is left is bounded here, from outside:

- `parse_bounded(path_or_bytes, name, seconds, memory_mb)` parses one file in a child process
  whose address space is capped (RLIMIT_AS) and which is killed at the wall-clock limit; it
  returns (result, error) and never raises for a bad file. The CLI (`parse`, `check`) and the
  dashboard's upload preview use it.
- The loader's pool workers are such children themselves (warehouse/load.py calls
  `limit_this_process` at worker start and watches each file's wall clock), so a load adds no
  process per file.

Children die with their parent (PR_SET_PDEATHSIG on Linux), so a killed load or dashboard leaves
no worker behind. Inside a process that runs other threads (the dashboard) children come from a
fork server started once with the parser imported: forking a multi-threaded process can leave a
lock another thread held locked for ever in the child.
"""

from __future__ import annotations

import ctypes
import os
import signal
import stat
import sys
import threading
import time
from typing import Any

from loaders.read.base import MAX_BYTES, ReadError
from loaders.read.guard import find_wrapped

PARSE_SECONDS = 60.0  # per file; a real report parses in well under a second
MEMORY_MB = 2048  # address space a parse may add to what its process already maps
HARD_GRACE_SECONDS = 5.0  # after the soft limit (time_limit in the child), the child is killed
_PR_SET_PDEATHSIG = 1


def timeout_message(seconds: float) -> str:
    return f"解析超时 (超过 {seconds:g} 秒)，文件可能过于复杂或触发了解析器的缺陷 (parse timed out)"


def memory_message(memory_mb: int) -> str:
    return f"解析所需内存超过上限 ({memory_mb} MB)，文件可能过于复杂或是恶意构造的 (memory limit)"


def crash_message(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = str(-exitcode)
        hint = "，可能因内存不足被系统终止" if -exitcode == signal.SIGKILL else ""
        return f"解析进程意外终止 (信号 {name}{hint})，文件可能已损坏或是恶意构造的 (parser process killed)"
    return f"解析进程意外退出 (退出码 {exitcode})，文件可能已损坏或是恶意构造的 (parser process died)"


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "命名管道 (FIFO)"
    if stat.S_ISSOCK(mode):
        return "套接字 (socket)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    if stat.S_ISDIR(mode):
        return "文件夹"
    return "特殊文件"


def not_regular_reason(mode: int) -> str:
    return f"不是普通文件，而是{_file_kind(mode)}，已跳过 (not a regular file)"


def read_report_file(path: str | os.PathLike) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES. Opened without blocking, so a FIFO or a
    device put where a report was expected is refused (ReadError) instead of hanging the reader;
    OSError for a missing or unreadable file."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            if stat.S_ISDIR(st.st_mode):
                raise IsADirectoryError(21, "Is a directory", str(path))
            raise ReadError(not_regular_reason(st.st_mode))
        if st.st_size > MAX_BYTES:
            raise ReadError(
                f"文件过大 ({st.st_size / 1024 / 1024:.1f} MB > {MAX_BYTES // 1024 // 1024} MB)，不像是一份评价报告")
        chunks = []
        left = MAX_BYTES + 1  # a file that grows while read is still capped
        while left > 0:
            block = os.read(fd, min(left, 1 << 20))
            if not block:
                break
            chunks.append(block)
            left -= len(block)
        data = b"".join(chunks)
        if len(data) > MAX_BYTES:
            raise ReadError(f"文件过大 (> {MAX_BYTES // 1024 // 1024} MB)，不像是一份评价报告")
        return data
    finally:
        os.close(fd)


def os_error_message(e: OSError) -> str:
    if isinstance(e, FileNotFoundError):
        return "文件不存在 (file not found)"
    if isinstance(e, IsADirectoryError):
        return "这是一个文件夹 (is a directory)"
    if isinstance(e, PermissionError):
        return "没有读取权限 (permission denied)"
    return f"无法读取 ({type(e).__name__}: {e})"


# ---------------------------------------------------------------------------------------------
# Limits of a child process


def die_with_parent(expected_parent: int | None = None) -> None:
    """Have the kernel kill this process when its parent dies (Linux; elsewhere nothing). If the
    parent is already gone (we were re-parented before asking), exit now."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if expected_parent is not None and os.getppid() != expected_parent:
        os._exit(1)


def _address_space_bytes() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def limit_memory(memory_mb: int) -> None:
    """Cap this process's address space at what it maps now plus `memory_mb` (RLIMIT_AS); an
    allocation beyond it fails (MemoryError) instead of taking the machine's memory."""
    if memory_mb <= 0:
        return
    try:
        import resource
    except ImportError:  # not POSIX
        return
    limit = _address_space_bytes() + memory_mb * 1024 * 1024
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        pass


def limit_this_process(memory_mb: int, expected_parent: int | None = None) -> None:
    """What every parsing child does first: die with its parent, cap its memory."""
    die_with_parent(expected_parent)
    limit_memory(memory_mb)


def is_memory_error(e: BaseException) -> bool:
    """A MemoryError, or one a library caught and wrapped in its own exception."""
    return find_wrapped(e, MemoryError) is not None


def mp_context():
    """fork (the child starts at once with the parser imported) in the main thread of a process;
    elsewhere (the dashboard's script threads, among server threads) a fork server that imported
    the parser once."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.current_thread() is threading.main_thread():
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["loaders.parse", "loaders.sandbox", "warehouse.load"])
        return ctx
    return multiprocessing.get_context()


# ---------------------------------------------------------------------------------------------
# One file in one child


def _serve(conn, memory_mb: int, parent: int | None) -> None:
    """The child's loop: parse each (data, path, name, seconds) it is sent, reply with
    ("ok", result) or ("error", reason, whether memory ran out); stop at None or EOF."""
    limit_this_process(memory_mb, parent)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            break
        if request is None:
            break
        data, path, name, seconds = request
        try:
            reply: tuple = ("ok", _parse_here(data, path, name, seconds, memory_mb))
        except _Failed as e:
            reply = ("error", str(e), e.args[0] == memory_message(memory_mb))
        del data, request
        try:
            conn.send(reply)
        except Exception as e:  # a result that cannot be sent (pickling, memory) is still one clear line
            conn.send(("error", memory_message(memory_mb) if is_memory_error(e) else f"解析结果无法传回 ({type(e).__name__})",
                       is_memory_error(e)))
        del reply
    conn.close()


class _Failed(Exception):
    pass


def _parse_here(data: bytes | None, path: str | None, name: str, seconds: float, memory_mb: int):
    from loaders.parse import parse_bytes
    from loaders.read.guard import time_limit

    started = time.monotonic()
    try:
        if data is None:
            data = read_report_file(path)
        with time_limit(seconds):
            return parse_bytes(data, name)
    except ReadError as e:
        if seconds > 0 and time.monotonic() - started >= seconds:
            raise _Failed(timeout_message(seconds)) from None
        raise _Failed(str(e)) from None
    except OSError as e:
        raise _Failed(os_error_message(e)) from None
    except Exception as e:  # a bug in a family must not stop the batch; say what it was
        if is_memory_error(e):
            raise _Failed(memory_message(memory_mb)) from None
        if seconds > 0 and time.monotonic() - started >= seconds:
            raise _Failed(timeout_message(seconds)) from None
        raise _Failed(f"解析出错 ({type(e).__name__}: {str(e)[:200]})") from None


_WARM = False


def _warm_parser() -> None:
    """Import the parser and fill its caches (lexicons, compiled patterns) once in this process,
    so forked children start with them instead of building them again for every file."""
    global _WARM
    if _WARM:
        return
    from loaders.parse import parse_bytes

    try:
        parse_bytes("甲县总工会2023年度部门整体支出绩效评价报告\n总分：90分，等级：优\n".encode(), "warm.txt")
    except Exception:  # only a warm-up
        pass
    _WARM = True


class BoundedParser:
    """Parses files one after another in a child process under the limits of `parse_bounded`.
    The child is reused while it behaves, and replaced after a file that timed out, ran out of
    memory or killed it. Use as a context manager, or call close()."""

    def __init__(self, seconds: float = PARSE_SECONDS, memory_mb: int = MEMORY_MB):
        self.seconds = seconds
        self.memory_mb = memory_mb
        self._proc = None
        self._conn = None

    def __enter__(self) -> BoundedParser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _start(self) -> None:
        ctx = mp_context()
        if ctx.get_start_method() == "fork":
            _warm_parser()
        parent_conn, child_conn = ctx.Pipe(duplex=True)
        expected_parent = os.getpid() if ctx.get_start_method() == "fork" else None
        proc = ctx.Process(target=_serve, args=(child_conn, self.memory_mb, expected_parent), daemon=True)
        proc.start()
        child_conn.close()
        self._proc, self._conn = proc, parent_conn

    def _stop(self, kill: bool) -> int | None:
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if proc is None:
            return None
        if not kill:
            try:
                conn.send(None)
            except OSError:
                pass
            proc.join(2)
        if proc.is_alive():
            proc.kill()
        proc.join()
        conn.close()
        return proc.exitcode

    def close(self) -> None:
        self._stop(kill=False)

    def parse(self, source: str | os.PathLike | bytes, name: str | None = None):
        """(ParseResult, None) or (None, reason); see parse_bounded."""
        if isinstance(source, (bytes, bytearray, memoryview)):
            data, path = bytes(source), None
            name = str(name or "upload.txt")
        else:
            data, path = None, str(source)
            name = str(name or source)
        if self._proc is None or not self._proc.is_alive():
            self._stop(kill=True)
            self._start()
        hard = self.seconds + HARD_GRACE_SECONDS if self.seconds > 0 else None
        try:
            self._conn.send((data, path, name, self.seconds))
            reply = self._conn.recv() if self._conn.poll(hard) else None
        except (EOFError, OSError):
            return None, crash_message(self._stop(kill=True))
        if reply is None:
            self._stop(kill=True)
            return None, timeout_message(self.seconds)
        if reply[0] == "ok":
            return reply[1], None
        if reply[2]:  # after running out of memory the child may be left in a bad state
            self._stop(kill=True)
        return None, reply[1]


def parse_bounded(source: str | os.PathLike | bytes, name: str | None = None, seconds: float = PARSE_SECONDS,
                  memory_mb: int = MEMORY_MB):
    """(ParseResult, None) or (None, reason) for one file, parsed in a child process that may use
    `memory_mb` more address space and is killed `HARD_GRACE_SECONDS` after `seconds` of wall
    clock (inside, loaders.read.guard.time_limit stops it cleanly at `seconds` when it can).
    `source` is a path, or the file's bytes (then `name` gives the extension). Never raises for a
    bad file. For many files, BoundedParser reuses one child."""
    with BoundedParser(seconds, memory_mb) as parser:
        return parser.parse(source, name)
