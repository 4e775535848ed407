"""Check that the notebooks' saved outputs reproduce run after run.

Usage::

    python tools/check_determinism.py

Runs nbval over every notebook three times in a row with the default number of
BLAS threads, then once each with ``OPENBLAS_NUM_THREADS=1`` and ``=2`` (the
number of threads can change the last digits of floating-point sums), and
prints one line per run. Exits 1 if any run fails. Takes about 6 minutes on
the 5,000-digit sample on a 2-core machine.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

from project import ROOT

#: (description, extra environment) of each run.
RUNS = [
    ("run 1, default threads", {}),
    ("run 2, default threads", {}),
    ("run 3, default threads", {}),
    ("OPENBLAS_NUM_THREADS=1", {"OPENBLAS_NUM_THREADS": "1"}),
    ("OPENBLAS_NUM_THREADS=2", {"OPENBLAS_NUM_THREADS": "2"}),
]


def run_nbval(extra_env: dict[str, str]) -> tuple[bool, str]:
    """Run nbval over the notebooks; return (passed, pytest's summary line)."""
    env = {**os.environ, **extra_env}
    env.setdefault("MNIST_SOURCE", "sample")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "notebooks"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if re.search(r"\d+ (passed|failed)", line)]
    return result.returncode == 0, (lines[-1] if lines else result.stdout[-300:]).strip()


def main() -> None:
    """Run every configuration and report."""
    failed = 0
    for name, extra_env in RUNS:
        passed, summary = run_nbval(extra_env)
        failed += not passed
        print(f"{'OK  ' if passed else 'FAIL'}  {name}: {summary}", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
