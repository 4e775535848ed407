"""Measure the lesson's speed and memory, and print them as a section of BENCHMARK.md.

Usage::

    python tools/benchmark.py                        # on the 5,000-digit sample
    python tools/benchmark.py --full DIR             # at full size, from the stand-in
    python tools/benchmark.py --full DIR --profile avx2 --notebook 07-deep-learning.ipynb

``--full DIR`` runs everything with ``MNIST_SOURCE=openml SCIKIT_LEARN_DATA=DIR``; make DIR
with ``python tools/make_openml_standin.py DIR`` (70,000 digits built from the sample).
Times and memory at that size are real; its accuracies are not (the same digits appear in
training and test data).

Each measurement runs in a fresh Python process (this script with ``--step``), so that its
peak memory is its own and the environment's switches apply before the libraries load:

- loading MNIST: the first load (parsing OpenML's file, or reading the sample) and the next
  one (from the fast local copy);
- fitting episode 3's final network on its split and scaling (``tools/recipe.py``): the
  fit's time, its test score and the process's peak memory;
- every notebook's wall time, slowest cell and kernel peak memory (executed without saving).

Beside the numbers it prints what they were measured on: the processor's model, cores and
vector instructions (``project.cpu_description()``), the load average as each step began,
and the kernels the numerical libraries chose and their threads, read in a child process
with the same settings as the measured ones (``check_cpu_profiles.selected_kernels``).

``--profile NAME`` measures under one of the CPU profiles of ``tools/check_cpu_profiles.py``
(``avx2`` keeps every library to AVX2, as on most laptops, even on a processor with AVX-512);
by default, ``native``, each library uses the fastest kernels it finds, whatever switches the
shell sets. ``--notebook NAME`` (repeatable) runs only those notebooks and skips the fit. The
section's heading names the data size and the profile; paste the section into BENCHMARK.md in
place of the one with the same heading.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import nn_helpers
from check_cpu_profiles import PROFILES, describe, environment, run_python, selected_kernels
from execute_notebooks import execute
from project import NOTEBOOKS, cpu_description, episode_notebooks
from recipe import final_model, split_and_scale


def load_step() -> dict:
    """Load MNIST as the notebooks do; return the digits counted and the seconds taken."""
    start = time.perf_counter()
    data, _ = nn_helpers.load_mnist()
    return {"rows": len(data), "seconds": time.perf_counter() - start}


def fit_step() -> dict:
    """Fit episode 3's final network on its split (``tools/recipe.py``); time it and score it.

    (Episode 3's other networks are timed with its notebook; episode 5 itself times
    predicting one digit at a time against all in one call.)
    """
    X_train, X_test, y_train, y_test = split_and_scale(*nn_helpers.load_mnist())
    model = final_model()
    start = time.perf_counter()
    model.fit(X_train, y_train)
    return {
        "fit_seconds": time.perf_counter() - start,
        "score": model.score(X_test, y_test),
        "epochs": model.n_iter_,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def notebook_step(name: str) -> dict:
    """Run a notebook top to bottom without saving it: its time, slowest cell, kernel's peak.

    The kernel is this process's only child, so the children's peak memory is the kernel's.
    """
    start = time.perf_counter()
    notebook = execute(NOTEBOOKS / name, save=False)
    seconds = time.perf_counter() - start
    took = [cell_seconds(cell) for cell in notebook.cells if cell.cell_type == "code"]
    slowest = max(range(len(took)), key=took.__getitem__)
    return {
        "seconds": seconds,
        "cell": slowest + 1,  # code cells counted from 1
        "cell_seconds": took[slowest],
        "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def cell_seconds(cell) -> float:
    """How long a code cell ran, from the times nbclient recorded (0 for an empty cell)."""
    times = cell.metadata.get("execution")
    if not times:
        return 0.0
    began, ended = times["iopub.execute_input"], times["shell.execute_reply"]
    return (datetime.fromisoformat(ended) - datetime.fromisoformat(began)).total_seconds()


def run_step(step: str, env: dict[str, str]) -> dict:
    """Run one step (``load``, ``fit`` or a notebook's name) in a fresh interpreter.

    Returns its numbers, and ``load``, the one-minute load average when the step started.
    """
    load = os.getloadavg()[0]
    printed = run_python([__file__, "--step", step], env)
    return {**json.loads(printed.strip().splitlines()[-1]), "load": load}


def measure(full: Path | None, profile: str, notebooks: list[str] | None) -> None:
    """Run every measurement under a CPU profile (only those ``notebooks``, if given), and print
    the Markdown section, a row as each step ends."""
    env = environment(profile)
    with tempfile.TemporaryDirectory() as scratch:
        if full is not None:
            # Work on a copy without the fast copy, so the first load really parses.
            home = Path(scratch) / "data_home"
            shutil.copytree(full, home, ignore=shutil.ignore_patterns("nn_lesson"))
            env.update(MNIST_SOURCE="openml", SCIKIT_LEARN_DATA=str(home))
        kernels = selected_kernels(env)
        first, again = run_step("load", env), run_step("load", env)
        print(heading(first["rows"], full is not None, profile, kernels))
        row("Load MNIST, first time", f"{first['seconds']:.1f} s", first)
        row("Load MNIST again (fast local copy)", f"{again['seconds']:.1f} s", again)
        if notebooks is None:
            fit = run_step("fit", env)
            row(
                "Fit episodes 3-5's final network: (200,), early stopping",
                f"{fit['fit_seconds']:.1f} s, {fit['epochs']} epochs, test score "
                f"{fit['score']:.3f}, peak memory {fit['peak_mb']:,.0f} MB",
                fit,
            )
        total = 0.0
        for name in notebooks or [path.name for path in episode_notebooks()]:
            run = run_step(name, env)
            total += run["seconds"]
            row(
                f"Run `{name}` top to bottom",
                f"{run['seconds']:.0f} s (slowest: code cell {run['cell']}, "
                f"{run['cell_seconds']:.0f} s); kernel peak memory {run['peak_mb']:,.0f} MB",
                run,
            )
        if notebooks is None or len(notebooks) > 1:
            print(f"| All notebooks | {total:.0f} s | |")


def heading(rows: int, full: bool, profile: str, kernels: dict) -> str:
    """The section's heading (data size and profile), what it was measured on and how, and the
    table's header."""
    switches = " ".join(f"{name}={value}" for name, value in PROFILES[profile].items())
    command = f"python tools/benchmark.py{' --full DIR' if full else ''} --profile {profile}"
    settings = (
        f"Switches: `{switches}`." if switches else "No switches: each library chose its kernels."
    )
    lines = [
        f"## {rows:,} digits ({'stand-in' if full else 'sample'}), profile {profile}",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {cpu_description()}, Python "
        f"{platform.python_version()}, with `{command}`. {settings} "
        f"Kernels used: {describe(kernels)}.",
    ]
    if full:
        lines.append(
            "These digits are the 5,000-digit sample repeated with small shifts: times and "
            "memory are real, **the scores mean nothing** (test digits also occur in training)."
        )
    return "\n".join([*lines, "", "| Step | Result | Load average as it began |", "|---|---|---|"])


def row(step: str, result: str, numbers: dict) -> None:
    """Print a row of the table: a step, its result, and the load average when it began."""
    print(f"| {step} | {result} | {numbers['load']:.1f} |", flush=True)


def main(argv: list[str] | None = None) -> None:
    """Measure, and print the Markdown section (or, with ``--step``, one step's numbers)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", type=Path, help="stand-in data home (70,000 digits)")
    parser.add_argument("--profile", choices=PROFILES, default="native", help="a CPU profile")
    episodes = [path.name for path in episode_notebooks()]
    parser.add_argument(
        "--notebook", action="append", choices=episodes, help="only this one, no fit"
    )
    parser.add_argument("--step", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    steps = {"load": load_step, "fit": fit_step}
    if args.step:  # one measurement, in the fresh process that run_step started
        print(json.dumps(steps[args.step]() if args.step in steps else notebook_step(args.step)))
    else:
        if args.full is not None and not (args.full / "openml").is_dir():
            sys.exit(f"{args.full}: no OpenML cache; make one with tools/make_openml_standin.py")
        measure(args.full, args.profile, args.notebook)


if __name__ == "__main__":
    main()
