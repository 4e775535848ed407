"""Measure the lesson's speed and memory, and write the numbers down.

Usage::

    python tools/benchmark.py                        # on the 5,000-digit sample
    python tools/benchmark.py --full DIR             # at full size, from the stand-in
    python tools/benchmark.py --full DIR --write BENCHMARK.md
    python tools/benchmark.py --full DIR --avx2 --notebook 07-deep-learning.ipynb

``--full DIR`` runs everything with ``MNIST_SOURCE=openml SCIKIT_LEARN_DATA=DIR``;
make DIR with ``python tools/make_openml_standin.py DIR`` (70,000 digits built
from the sample). Times and memory at that size are real; its accuracies are
not (the same digits appear in training and test data).

It measures, each in a fresh Python process:

- loading MNIST: the first load (parsing OpenML's download, or reading the
  sample) and the next one (from the fast local copy);
- fitting the classic configuration (hidden layer of 50, ``max_iter=50``) on
  90% of the data with ``float64`` as the classic lesson does and with
  ``float32``, and the wider network episode 3 suggests, with each fit's time,
  test score and the process's peak memory (loading + normalising + training);
- predicting the test digits one row at a time versus in one call;
- every notebook's wall time, slowest cell and kernel peak memory (executed
  without saving).

Beside the numbers it writes what they were measured on: the processor's model,
cores and vector instructions (``project.cpu_description()``), the load average
at the start of each step, and the kernels the numerical libraries chose, read
in a child process with the same settings as the measured ones: OpenBLAS's
``architecture`` (threadpoolctl), PyTorch's ``get_cpu_capability()`` and the
instruction set oneDNN (PyTorch's convolutions) reports.

``--avx2`` keeps every library to AVX2 instructions, as on most laptops, even on
a processor with AVX-512 (see ``AVX2_ONLY``). ``--notebook NAME`` (repeatable)
runs only those notebooks and skips the fits. ``--write FILE`` adds the results
as a section of a Markdown file, replacing an earlier section with the same
heading (data size, and whether capped); it needs a complete run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kernels import describe, selected_kernels
from project import ROOT, cpu_description, episode_notebooks

NOTEBOOKS = episode_notebooks()

#: Settings that keep each numerical library to AVX2 (``--avx2``), as on most laptops:
#: PyTorch's own kernels, its convolutions (oneDNN), its matrix products (MKL), and the
#: OpenBLAS of NumPy and scikit-learn (Haswell is OpenBLAS's name for its AVX2 kernels).
AVX2_ONLY = {
    "ATEN_CPU_CAPABILITY": "avx2",
    "ONEDNN_MAX_CPU_ISA": "AVX2",
    "MKL_ENABLE_INSTRUCTIONS": "AVX2",
    "OPENBLAS_CORETYPE": "Haswell",
}

#: The fits measured: name -> (MLPClassifier settings, layout of the pixels). "array": the
#: lesson's float32 NumPy arrays (split, then divided by np.float32(255)); "frame": a float64
#: pandas DataFrame, as the classic version of this lesson fitted it.
CLASSIC = {"hidden_layer_sizes": (50,), "max_iter": 50}
FINAL = {"hidden_layer_sizes": (200,), "max_iter": 30, "early_stopping": True}
FITS = {
    "classic (50,), 50 epochs, float64 DataFrame (as the classic lesson)": (CLASSIC, "frame"),
    "episode 3's first network: (50,), 50 epochs, float32 array": (CLASSIC, "array"),
    "episodes 3-5's final network: (200,), early stopping, at most 30 epochs": (FINAL, "array"),
}

# Code run in a child process, so that its peak memory is its own.
_LOAD = """
import json, time
import nn_helpers
start = time.perf_counter()
data, labels = nn_helpers.load_mnist()
seconds = time.perf_counter() - start
print(json.dumps({{"rows": len(data), "seconds": seconds}}))
"""

_FIT = """
import json, resource, time, warnings
import numpy as np
import nn_helpers
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from threadpoolctl import threadpool_info
data, labels = nn_helpers.load_mnist()
if {layout!r} == "frame":
    X = data.astype("float64") / 255
else:
    X = data.to_numpy()
X_train, X_test, y_train, y_test = train_test_split(
    X, labels, test_size=0.1, stratify=labels, random_state=1
)
if {layout!r} == "array":
    X_train, X_test = X_train / np.float32(255), X_test / np.float32(255)
model = MLPClassifier(random_state=1, **{settings!r})
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    start = time.perf_counter()
    model.fit(X_train, y_train)
    fit_seconds = time.perf_counter() - start
score = model.score(X_test, y_test)
start = time.perf_counter()
model.predict(X_test)
vectorised = time.perf_counter() - start
rows = min(len(X_test), 500)
one_row = (lambda i: X_test.iloc[[i]]) if {layout!r} == "frame" else (lambda i: X_test[[i]])
start = time.perf_counter()
for i in range(rows):
    model.predict(one_row(i))
loop = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"fit_seconds": fit_seconds, "score": score, "epochs": model.n_iter_,
                  "peak_mb": peak_mb, "vectorised": vectorised, "loop": loop,
                  "loop_rows": rows, "test_rows": len(X_test),
                  "blas": [{{"architecture": info.get("architecture", "?"),
                            "threads": info["num_threads"]}}
                           for info in threadpool_info() if info["internal_api"] == "openblas"]}}))
"""


def child(code: str, env: dict[str, str]) -> dict:
    """Run ``code`` in a fresh interpreter and return the JSON it prints last.

    The answer also holds ``load``, the one-minute load average when the child started.
    """
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"benchmark step failed:\n{result.stderr[-2000:]}")
    return {**json.loads(result.stdout.strip().splitlines()[-1]), "load": load}


def notebook_seconds(path: Path, env: dict[str, str]) -> dict:
    """Execute one notebook without saving it; return its time and its slowest cell."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "execute_notebooks.py"), "--no-save", str(path)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    pattern = r": ([\d.]+) s \(slowest: code cell (\d+), ([\d.]+) s\), kernel peak memory (\d+) MB"
    found = re.search(pattern, result.stdout)
    if found is None:
        raise RuntimeError(f"unexpected output from execute_notebooks.py: {result.stdout!r}")
    return {
        "seconds": float(found[1]),
        "cell": int(found[2]),
        "cell_seconds": float(found[3]),
        "peak_mb": int(found[4]),
        "load": load,
    }


def measure(
    full: Path | None,
    skip_notebooks: bool,
    avx2: bool = False,
    notebooks: list[Path] | None = None,
) -> dict:
    """Run every measurement (only ``notebooks``, if given); return the numbers."""
    # Uncapped means each library's own choice: a switch left in the shell (this project's
    # test machines set OPENBLAS_CORETYPE=Haswell) would cap it silently.
    env = {name: value for name, value in os.environ.items() if name not in AVX2_ONLY}
    env.update(AVX2_ONLY if avx2 else {})
    results: dict = {"fits": {}, "notebooks": {}, "avx2": avx2, "cpu": cpu_description()}
    with tempfile.TemporaryDirectory() as scratch:
        if full is None:
            env["MNIST_SOURCE"] = "sample"
        else:
            # Work on a copy without the fast copy, so the first load really parses.
            home = Path(scratch) / "data_home"
            shutil.copytree(full, home, ignore=shutil.ignore_patterns("nn_lesson"))
            env.update(MNIST_SOURCE="openml", SCIKIT_LEARN_DATA=str(home))
        results["kernels"] = selected_kernels(env)
        results["first_load"] = child(_LOAD.format(), env)
        results["next_load"] = child(_LOAD.format(), env)
        for name, (settings, layout) in FITS.items() if notebooks is None else ():
            print(f"fitting {name} ...", flush=True)
            results["fits"][name] = child(_FIT.format(settings=settings, layout=layout), env)
        if not skip_notebooks:
            for path in NOTEBOOKS if notebooks is None else notebooks:
                print(f"running {path.name} ...", flush=True)
                results["notebooks"][path.name] = notebook_seconds(path, env)
    return results


def uses_torch(path: Path) -> bool:
    """Whether a notebook imports PyTorch (so PyTorch's kernels matter for its time)."""
    return "import torch" in path.read_text(encoding="utf-8")


def heading(rows: int, full: bool, avx2: bool) -> str:
    """The section's heading: data size, and whether the kernels were capped at AVX2."""
    size = f"{rows:,} digits ({'stand-in' if full else 'sample'})"
    return f"## {size}{', capped at AVX2' if avx2 else ''}"


def report(results: dict, full: bool) -> str:
    """Format the results as a Markdown section."""
    avx2 = results.get("avx2", False)
    found = results.get("kernels", {"blas": [], "torch": None})
    loads = [
        step["load"]
        for step in [*results["fits"].values(), *results["notebooks"].values()]
        if step.get("load") is not None
    ]
    command = f"python tools/benchmark.py{' --full DIR' if full else ''}{' --avx2' if avx2 else ''}"
    if avx2:
        capped = " ".join(f"{name}={value}" for name, value in AVX2_ONLY.items())
        settings = f"Every library was kept to AVX2 (`{capped}`)."
    else:
        settings = "No library was capped: each used the fastest kernels it found."
    load = ""
    if loads:
        low, high = f"{min(loads):.1f}", f"{max(loads):.1f}"
        load = f"; load average {low if low == high else f'{low}–{high}'} as steps began"
    lines = [
        heading(results["first_load"]["rows"], full, avx2),
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {results.get('cpu', cpu_description())}, "
        f"Python {platform.python_version()}, with `{command}`{load}. {settings} "
        f"Kernels used: {describe(found)}.",
    ]
    if full:
        lines.append(
            "These digits are the 5,000-digit sample repeated with small shifts: times and "
            "memory are real, **the scores mean nothing** (test digits also occur in training)."
        )
    first, then = results["first_load"]["seconds"], results["next_load"]["seconds"]
    lines += [
        "",
        "| Step | Result | Kernels |",
        "|---|---|---|",
        f"| Load MNIST, first time | {first:.1f} s | |",
        f"| Load MNIST again (fast local copy) | {then:.1f} s | |",
    ]
    for name, fit in results["fits"].items():
        lines.append(
            f"| Fit {name} | {fit['fit_seconds']:.1f} s, {fit['epochs']} epochs, "
            f"test score {fit['score']:.3f}, peak memory {fit['peak_mb']:,.0f} MB | "
            f"{describe({'blas': fit.get('blas', [])}, torch=False)} |"
        )
    for name, fit in results["fits"].items():
        per_row = fit["loop"] / fit["loop_rows"]
        per_row_once = fit["vectorised"] / fit["test_rows"]
        lines.append(
            f"| Predict {fit['loop_rows']:,} test digits one at a time vs all "
            f"{fit['test_rows']:,} in one call ({name.split(': ')[0]}) | "
            f"{fit['loop']:.2f} s vs {fit['vectorised']:.3f} s "
            f"({per_row / per_row_once:,.0f}x faster per digit in one call) | "
            f"{describe({'blas': fit.get('blas', [])}, torch=False)} |"
        )
    for name, run in results["notebooks"].items():
        lines.append(
            f"| Run `{name}` top to bottom | {run['seconds']:.0f} s "
            f"(slowest: code cell {run['cell']}, {run['cell_seconds']:.0f} s); "
            f"kernel peak memory {run['peak_mb']:,} MB | "
            f"{describe(found, torch=uses_torch(ROOT / 'notebooks' / name))} |"
        )
    if len(results["notebooks"]) > 1:
        total = sum(run["seconds"] for run in results["notebooks"].values())
        lines.append(f"| All notebooks | {total:.0f} s | |")
    return "\n".join(lines) + "\n"


def write_section(path: Path, section: str) -> None:
    """Put ``section`` into the Markdown file, in place of one with the same heading, or last."""
    heading = section.splitlines()[0]
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    parts = [part for part in re.split(r"(?m)^(?=## )", text) if part]
    same = [number for number, part in enumerate(parts) if part.splitlines()[0] == heading]
    if same:
        parts[same[0]] = section + "\n"
        parts = [part for number, part in enumerate(parts) if number not in same[1:]]
    else:
        parts = [*parts[:-1], parts[-1].rstrip() + "\n\n", section] if parts else [section]
    path.write_text("".join(parts).rstrip() + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Measure, print the Markdown table, and optionally write it to a file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", type=Path, help="stand-in data home (70,000 digits)")
    parser.add_argument("--write", type=Path, help="Markdown file to add the results to")
    parser.add_argument("--skip-notebooks", action="store_true")
    parser.add_argument("--avx2", action="store_true", help="keep every library to AVX2")
    parser.add_argument(
        "--notebook", action="append", help="run only this notebook (repeatable), no fits"
    )
    args = parser.parse_args(argv)
    if args.full is not None and not (args.full / "openml").is_dir():
        sys.exit(f"{args.full}: no OpenML cache here; make one with tools/make_openml_standin.py")
    notebooks = None
    if args.notebook:
        notebooks = [ROOT / "notebooks" / Path(name).name for name in args.notebook]
        missing = [path.name for path in notebooks if not path.is_file()]
        if missing:
            sys.exit(f"no such notebook in notebooks/: {', '.join(missing)}")
        if args.write:
            sys.exit("--write needs a complete run: leave out --notebook")
    results = measure(args.full, args.skip_notebooks, avx2=args.avx2, notebooks=notebooks)
    section = report(results, full=args.full is not None)
    print(section)
    if args.write:
        write_section(args.write, section)


if __name__ == "__main__":
    main()
