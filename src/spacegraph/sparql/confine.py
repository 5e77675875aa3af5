"""The barriers under the guard: the process that runs queries cannot reach the network, and its memory is bounded.

The guard (``spacegraph.sparql.guard``) refuses SERVICE before any parser sees a query, but a lexical check can be
wrong, and pyoxigraph federates every SERVICE it parses: it would POST to any host and port. So the query process
also drops, for good, the right to create sockets (a seccomp filter, through libseccomp): ``socket()`` fails
with EACCES, as does ``io_uring_setup`` (io_uring can open and connect sockets without the system calls the
filter sees). The process talks to its web worker over a socket pair made before the filter,
so nothing it needs is lost. A query the guard misreads still connects nowhere; the engine answers with an error.

Its memory is bounded with ``RLIMIT_DATA`` (the heap and private writable mappings, which is where a query's
solutions, sorts and strings live) rather than ``RLIMIT_AS``: address space also counts the reservations of the
allocator and of RocksDB, which are large and mostly never used. An allocation past the limit makes the engine
abort; the web worker sees the process end by SIGABRT and answers 503 (``spacegraph.sparql.runner``).
"""

from __future__ import annotations

import errno
import resource
import sys


def confine(memory_limit: int) -> list[str]:
    """Apply both barriers to this process (``memory_limit`` in bytes; 0: no limit). Returns what could not be
    applied, for the log; the caller decides whether that is fatal."""
    missing = []
    if memory_limit > 0:
        try:
            resource.setrlimit(resource.RLIMIT_DATA, (memory_limit, memory_limit))
        except (ValueError, OSError) as error:
            missing.append(f"memory limit not set ({error})")
    try:
        _deny_network()
    except (ImportError, OSError, RuntimeError, ValueError) as error:
        missing.append(f"network barrier not set ({error.__class__.__name__}: {error})")
    return missing


def _deny_network() -> None:
    if not sys.platform.startswith("linux"):
        raise RuntimeError("seccomp filters exist on Linux only")
    import pyseccomp as seccomp  # libseccomp through ctypes; libseccomp2 is part of every Debian system

    refuse = seccomp.ERRNO(errno.EACCES)
    rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    rules.add_rule(refuse, "socket")
    rules.add_rule(refuse, "io_uring_setup")
    rules.load()  # sets no_new_privs first: the filter holds for this process and anything it starts
