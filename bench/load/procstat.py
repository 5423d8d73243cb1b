"""CPU time of the servers' processes, from /proc (Linux).

Each process's time on a CPU comes from /proc/<pid>/schedstat (nanoseconds, user and system
together); the groups are a gunicorn master's workers (processes whose parent is that master) and
PostgreSQL's processes for one database: its backends (`postgres: ... <user> <db> ...`) and the
parallel workers any of them starts (`parallel worker for PID <backend>`). A tracker remembers the
last reading of every process it has seen, so one that exits (a parallel worker after its query, a
worker gunicorn replaces) keeps the time it had at the last sample; `sample()` runs every few
tens of milliseconds from a background greenlet so that short-lived parallel workers are caught.
"""

import os
import time


def _read(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return fh.read().decode(errors="replace")
    except OSError:
        return None


def cpu_ns(pid: int) -> int | None:
    text = _read(f"/proc/{pid}/schedstat")
    return int(text.split()[0]) if text else None


def parent_of(pid: int) -> int | None:
    text = _read(f"/proc/{pid}/stat")
    if not text:
        return None
    return int(text.rsplit(")", 1)[1].split()[1])  # after "pid (comm)": state, ppid


def busy_ticks() -> tuple[int, int]:
    """Whole machine: (busy, total) clock ticks since boot, from /proc/stat."""
    fields = [int(x) for x in _read("/proc/stat").splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


class Tracker:
    """`masters`: group name -> gunicorn master pid; `dbname`: the database whose backends count."""

    RECHECK_SECONDS = 2.0  # a new backend shows its user and database in its title after authenticating

    def __init__(self, masters: dict[str, int], dbname: str):
        self.masters = masters
        self.db_marker = f" {dbname} "
        self.group_of: dict[int, str] = {}  # pid -> group ("pg" or a master's group)
        self.last: dict[int, int] = {}  # pid -> last CPU ns read
        self.ignored: set[int] = set()
        self.young: dict[int, float] = {}  # postgres pids not (yet) ours -> first seen
        self.pg_backends: set[int] = set()
        self.gone: set[int] = set()

    def _classify(self, pid: int) -> str | None:
        """A group, None for not ours (yet), "" for never ours."""
        parent = parent_of(pid)
        for group, master in self.masters.items():
            if parent == master:
                return group
        cmdline = (_read(f"/proc/{pid}/cmdline") or "").replace("\0", " ")
        if "postgres" not in cmdline:
            return ""  # (a backend just forked still has the postmaster's command line: looked at again)
        if "parallel worker for PID " in cmdline:
            leader = int(cmdline.rsplit("parallel worker for PID ", 1)[1].split()[0])
            return "pg" if leader in self.pg_backends else ""
        if self.db_marker in cmdline and "autovacuum" not in cmdline:
            self.pg_backends.add(pid)
            return "pg"
        return None

    def sample(self) -> None:
        now = time.monotonic()
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            pid = int(name)
            if pid in self.group_of or pid in self.ignored:
                continue
            group = self._classify(pid)
            if group:
                self.group_of[pid] = group
                self.young.pop(pid, None)
            elif group == "" or now - self.young.setdefault(pid, now) > self.RECHECK_SECONDS:
                self.ignored.add(pid)
                self.young.pop(pid, None)
        for pid in self.group_of:
            if pid in self.gone:
                continue
            value = cpu_ns(pid)
            if value is None:
                self.gone.add(pid)  # exited: keeps its last reading
            else:
                self.last[pid] = value

    def totals(self) -> dict[str, int]:
        """CPU ns per group so far (each process since it started)."""
        self.sample()
        out = dict.fromkeys([*self.masters, "pg"], 0)
        for pid, group in self.group_of.items():
            out[group] += self.last.get(pid, 0)
        return out
