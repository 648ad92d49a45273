"""Helpers shared by the benchmark scripts: timing real processes, medians, data."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
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
