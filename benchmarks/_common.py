"""Helpers shared by the benchmark scripts: timing real processes, medians, noise, data."""

from __future__ import annotations

import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"


def verweef_command() -> list[str]:
    """The installed ``verweef`` next to this Python, else ``python -m verweefcli``."""
    script = Path(sys.executable).with_name("verweef")
    return [str(script)] if script.exists() else [sys.executable, "-m", "verweefcli"]


def precompile() -> None:
    """Write .pyc files for our package, as an installed wheel has them."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "verweefcli")], check=True)


def run_timed(argv: Sequence[str], *, env: dict[str, str] | None = None, stdin: str | None = None) -> tuple[float, int]:
    """Wall time (s) and peak RSS (KiB) of one process; it must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(
        argv, env={**os.environ, **(env or {})}, input=stdin, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({result.returncode}):\n{result.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before)


def peak_rss_kib(argv: Sequence[str], env: dict[str, str] | None = None) -> int:
    """Peak RSS of one run, measured with GNU time if present (exact per process)."""
    if Path("/usr/bin/time").exists():
        result = subprocess.run(
            ["/usr/bin/time", "-f", "%M", *argv],
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
        )
        return int(result.stderr.strip().splitlines()[-1])
    return run_timed(argv, env=env)[1]


def median_time(argv: Sequence[str], runs: int, *, env: dict[str, str] | None = None, warmup: int = 1) -> float:
    for _ in range(warmup):
        run_timed(argv, env=env)
    return statistics.median(run_timed(argv, env=env)[0] for _ in range(runs))


def ensure_big_db(path: Path, activities: int, sites: int, contacts: int) -> Path:
    if not path.exists():
        from generate import generate  # type: ignore[import-not-found]

        path.parent.mkdir(parents=True, exist_ok=True)
        generate(path, activities, sites, contacts)
    return path


GNU_TIME = Path("/usr/bin/time")


@dataclass
class Run:
    seconds: float
    peak_kib: int  # 0 when GNU time is missing
    stdout: str


def measure(argv: Sequence[str], *, env: dict[str, str] | None = None) -> Run:
    """One real process, which must succeed: its wall time, its own peak RSS (GNU time ``%M``) and output.

    The process runs under GNU time (when present), so every run gives its memory too; the
    few milliseconds that costs are the same for a reference and its subject."""
    with tempfile.NamedTemporaryFile(prefix="time-", suffix=".txt") as report:
        wrapped = [str(GNU_TIME), "-f", "%M", "-o", report.name, *argv] if GNU_TIME.exists() else list(argv)
        start = time.perf_counter()
        result = subprocess.run(wrapped, env={**os.environ, **(env or {})}, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        if result.returncode != 0:
            raise SystemExit(f"FAILED: {' '.join(argv)} exited {result.returncode}:\n{result.stderr[-2000:]}")
        text = Path(report.name).read_text().strip() if GNU_TIME.exists() else ""
    lines = text.splitlines()
    return Run(elapsed, int(lines[-1]) if lines and lines[-1].isdigit() else 0, result.stdout)


@dataclass
class Series:
    """Repeated measurements of one thing."""

    values: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)

    def add(self, run: Run) -> Run:
        self.values.append(run.seconds)
        self.peaks.append(run.peak_kib)
        return run

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def spread(self) -> float:
        """The noise, relative to the median: the interquartile range with 4 runs or more (one
        slow moment of the machine does not count), else slowest minus fastest."""
        values = sorted(self.values)
        if len(values) >= 4:
            low, _, high = statistics.quantiles(values, n=4)
            return (high - low) / self.median if self.median else 0.0
        return (values[-1] - values[0]) / self.median if self.median else 0.0

    @property
    def peak_mb(self) -> float:
        return max(self.peaks) / 1024 if self.peaks else 0.0


def interleave(steps: dict[str, Callable[[], Run]], runs: int, *, warmup: int = 1) -> dict[str, Series]:
    """Run each step ``runs`` times, the steps taking turns (reference, subject, reference, ...):
    a slow moment of the machine then hits them all alike. ``warmup`` rounds are not counted."""
    for _ in range(warmup):
        for step in steps.values():
            step()
    series = {label: Series() for label in steps}
    for _ in range(runs):
        for label, step in steps.items():
            series[label].add(step())
    return series


NOISE = "noise = interquartile range / median of the runs (with fewer than 4 runs: (slowest - fastest) / median)"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def mark(ok: bool) -> str:
    return "✔" if ok else "✘"


def machine_line() -> str:
    """What else the machine is doing (load average) and what is measured (commit, changed files)."""
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no", "verweefcli"],
        capture_output=True,
        text=True,
    )
    changed = len(dirty.stdout.splitlines())
    state = f"{changed} changed file(s) in verweefcli/" if changed else "clean verweefcli/"
    sqlite = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split(" ")[0]
    return (
        f"{os.cpu_count()} cores, load average {load}; Python {sys.version.split()[0]}, "
        f"SQLite {sqlite3.sqlite_version} (shell {sqlite}); commit {head.stdout.strip()} with {state}"
    )


def copy_db(source: Path, target: Path) -> Path:
    """A copy of a closed database (its write-ahead log folded in first)."""
    if Path(f"{source}-wal").exists():
        conn = sqlite3.connect(source)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target
