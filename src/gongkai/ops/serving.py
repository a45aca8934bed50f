"""`gongkai serve` in production: gunicorn, sized to the machine it runs on.

``gongkai serve`` checks the database, then replaces itself (``exec``) with a gunicorn master running
``gongkai.config.wsgi``. Exec rather than a child process: the master keeps the PID that systemd
watches and signals, and it has imported none of gongkai, so ``kill -HUP`` (``systemctl reload``)
starts workers on freshly imported code while the old ones finish their requests (graceful restart).

Workers are gthread workers: a few processes, each with a pool of threads, so that a request waiting on
the database or the disk does not hold a whole process. Scheme and client address are Django's business
alone (``SECURE_PROXY_SSL_HEADER``, ``core.net.client_ip``): gunicorn is told to trust no
forwarding header, so there is one place that decides whom to believe.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

# A worker with Django, the ledger apps and a PDF rendering in flight; half the memory stays with the
# database and the page cache.
WORKER_MEMORY_BYTES = 256 * 1024 * 1024
MAX_WORKERS = 12
THREADS_PER_WORKER = 4
# A worker is replaced after this many requests (± jitter, so that they do not all restart together):
# PDF and Word rendering can leave a process larger than it started.
MAX_REQUESTS, MAX_REQUESTS_JITTER = 2000, 200
# One request line, in the access log: the address nginx saw (last X-Forwarded-For entry), the peer,
# time, request line, status, bytes, milliseconds, referrer, user agent.
ACCESS_LOG_FORMAT = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s"'
WSGI_APP = "gongkai.config.wsgi:application"


@dataclass(frozen=True)
class Machine:
    cpus: int
    memory_bytes: int | None


@dataclass(frozen=True)
class ServePlan:
    host: str
    port: int
    workers: int
    threads: int
    access_log: str
    timeout: int = 60
    graceful_timeout: int = 30
    keepalive: int = 5
    backlog: int = 2048

    @property
    def bind(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    def argv(self) -> list[str]:
        """The gunicorn command line (run with the current Python, so the virtualenv needs no PATH)."""
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "python:gongkai.ops.gunicorn_conf",
            "--bind",
            self.bind,
            "--worker-class",
            "gthread",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--backlog",
            str(self.backlog),
            "--timeout",
            str(self.timeout),
            "--graceful-timeout",
            str(self.graceful_timeout),
            "--keep-alive",
            str(self.keepalive),
            "--max-requests",
            str(MAX_REQUESTS),
            "--max-requests-jitter",
            str(MAX_REQUESTS_JITTER),
            "--access-logfile",
            self.access_log,
            "--access-logformat",
            ACCESS_LOG_FORMAT,
            "--error-logfile",
            "-",
            WSGI_APP,
        ]


def _cgroup_cpus() -> float | None:
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
    except (OSError, ValueError):
        return None
    return None if quota == "max" else int(quota) / int(period)


def _cgroup_memory() -> int | None:
    try:
        value = Path("/sys/fs/cgroup/memory.max").read_text().strip()
    except OSError:
        return None
    return None if value == "max" or not value.isdigit() else int(value)


def this_machine() -> Machine:
    """The CPUs this process may use and the memory it may take (a container's limits when smaller)."""
    cpus = float(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    quota = _cgroup_cpus()
    if quota:
        cpus = min(cpus, quota)
    memory: int | None = None
    with contextlib.suppress(OSError, ValueError, AttributeError):
        memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    limit = _cgroup_memory()
    if limit and (memory is None or limit < memory):
        memory = limit
    return Machine(cpus=max(1, round(cpus)), memory_bytes=memory)


def plan_for(
    machine: Machine,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int | None = None,
    threads: int | None = None,
    access_log: str = "-",
) -> ServePlan:
    """Workers: the usual 2 × CPUs + 1, at most what half the memory holds, never fewer than two (one
    can restart while the other serves) unless asked; threads: four per worker."""
    if workers is None:
        by_cpu = 2 * machine.cpus + 1
        by_memory = (
            by_cpu if machine.memory_bytes is None else machine.memory_bytes // 2 // WORKER_MEMORY_BYTES
        )
        workers = max(2, min(by_cpu, by_memory, MAX_WORKERS))
    return ServePlan(
        host=host,
        port=port,
        workers=workers,
        threads=threads or THREADS_PER_WORKER,
        access_log=access_log,
    )


def exec_gunicorn(plan: ServePlan) -> None:
    """Replace this process with the gunicorn master; raises OSError if that cannot be done."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, plan.argv())


def serve(
    *, host: str, port: int, debug: bool, workers: int | None, threads: int | None, access_log: str
) -> None:
    """Run the site: gunicorn in place of this process, or with ``debug`` Django's development server here.
    Django is set up and the database checked by the caller."""
    from django.db import connections

    shown = f"[{host}]" if ":" in host else host
    if debug:
        from django.core.management import call_command

        print(f"工作台（开发服务器）：http://{shown}:{port}/workbench/ （按 Ctrl+C 停止）", flush=True)
        # No autoreloader: it would fork a second process that rebuilds nothing and confuses Ctrl+C.
        call_command("runserver", f"{shown}:{port}", use_reloader=False)
        return
    plan = plan_for(
        this_machine(), host=host, port=port, workers=workers, threads=threads, access_log=access_log
    )
    print(
        f"工作台：http://{shown}:{port}/workbench/ （gunicorn，{plan.workers} 个进程 × {plan.threads} 个线程；"
        "按 Ctrl+C 停止，kill -HUP 平滑重启）",
        flush=True,
    )
    connections.close_all()  # nothing of this process survives the exec but its PID
    exec_gunicorn(plan)
