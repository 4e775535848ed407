"""Measure the lesson's speed and memory, and write the numbers down.

Usage::

    python tools/benchmark.py                        # on the 5,000-digit sample
    python tools/benchmark.py --full DIR             # at full size, from the stand-in
    python tools/benchmark.py --full DIR --write BENCHMARK.md

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

``--write FILE`` adds the results as a section of a Markdown file, replacing an
earlier section for the same data size.
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

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))

#: The fits measured: name -> (MLPClassifier settings, pixel dtype, layout). "frame" fits
#: the pandas DataFrame as the classic lesson does; "array" fits a C-ordered NumPy
#: array as episode 3 does (pandas stores columns, which makes each batch slower).
CLASSIC = {"hidden_layer_sizes": (50,), "max_iter": 50}
FITS = {
    "classic, float64 DataFrame (as the classic lesson)": (CLASSIC, "float64", "frame"),
    "classic, float32 DataFrame": (CLASSIC, "float32", "frame"),
    "classic, float32 array (episode 3)": (CLASSIC, "float32", "array"),
    "episodes 4-5: early stopping, max 30 passes, float32 DataFrame": (
        {"hidden_layer_sizes": (50,), "max_iter": 30, "early_stopping": True},
        "float32",
        "frame",
    ),
    "episode 3's better setting: (200,), early stopping, max 30, float32 array": (
        {"hidden_layer_sizes": (200,), "max_iter": 30, "early_stopping": True},
        "float32",
        "array",
    ),
}

# Code run in a child process, so that its peak memory is its own.
_LOAD = """
import json, os, resource, sys, time
sys.path.insert(0, {notebooks!r})
import nn_helpers
start = time.perf_counter()
data, labels = nn_helpers.load_mnist()
seconds = time.perf_counter() - start
print(json.dumps({{"rows": len(data), "seconds": seconds}}))
"""

_FIT = """
import json, resource, sys, time, warnings
sys.path.insert(0, {notebooks!r})
import nn_helpers
from sklearn.neural_network import MLPClassifier
data, labels = nn_helpers.load_mnist()
data = data.astype({dtype!r}) / 255
if {layout!r} == "array":
    import numpy as np
    data = np.ascontiguousarray(data.to_numpy())
n_train = int(0.9 * len(data))
model = MLPClassifier(random_state=1, **{settings!r})
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    start = time.perf_counter()
    model.fit(data[:n_train], labels.iloc[:n_train])
    fit_seconds = time.perf_counter() - start
test_data, test_labels = data[n_train:], labels.iloc[n_train:]
score = model.score(test_data, test_labels)
start = time.perf_counter()
model.predict(test_data)
vectorised = time.perf_counter() - start
rows = min(len(test_data), 2000)
start = time.perf_counter()
for i in range(rows):
    model.predict(test_data[i : i + 1])
loop = (time.perf_counter() - start) * len(test_data) / rows
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"fit_seconds": fit_seconds, "score": score, "epochs": model.n_iter_,
                  "peak_mb": peak_mb, "vectorised": vectorised, "loop": loop,
                  "test_rows": len(test_data)}}))
"""


def child(code: str, env: dict[str, str]) -> dict:
    """Run ``code`` in a fresh interpreter and return the JSON it prints last."""
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"benchmark step failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def notebook_seconds(path: Path, env: dict[str, str]) -> dict:
    """Execute one notebook without saving it; return its time and its slowest cell."""
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
    }


def measure(full: Path | None, skip_notebooks: bool) -> dict:
    """Run every measurement; return the numbers."""
    env = dict(os.environ)
    notebooks = str(ROOT / "notebooks")
    results: dict = {"fits": {}, "notebooks": {}}
    with tempfile.TemporaryDirectory() as scratch:
        if full is None:
            env["MNIST_SOURCE"] = "sample"
        else:
            # Work on a copy without the fast copy, so the first load really parses.
            home = Path(scratch) / "data_home"
            shutil.copytree(full, home, ignore=shutil.ignore_patterns("nn_lesson"))
            env.update(MNIST_SOURCE="openml", SCIKIT_LEARN_DATA=str(home))
        code = _LOAD.format(notebooks=notebooks)
        results["first_load"] = child(code, env)
        results["next_load"] = child(code, env)
        for name, (settings, dtype, layout) in FITS.items():
            print(f"fitting {name} ...", flush=True)
            code = _FIT.format(notebooks=notebooks, settings=settings, dtype=dtype, layout=layout)
            results["fits"][name] = child(code, env)
        if not skip_notebooks:
            for path in NOTEBOOKS:
                print(f"running {path.name} ...", flush=True)
                results["notebooks"][path.name] = notebook_seconds(path, env)
    return results


def report(results: dict, full: bool) -> str:
    """Format the results as a Markdown section."""
    rows = results["first_load"]["rows"]
    size = f"{rows:,} digits ({'stand-in' if full else 'sample'})"
    lines = [
        f"## {size}",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, with `python tools/benchmark.py"
        f"{' --full DIR' if full else ''}`.",
    ]
    if full:
        lines.append(
            "These digits are the 5,000-digit sample repeated with small shifts: times and "
            "memory are real, **the scores mean nothing** (test digits also occur in training)."
        )
    first, then = results["first_load"]["seconds"], results["next_load"]["seconds"]
    lines += [
        "",
        "| Step | Result |",
        "|---|---|",
        f"| Load MNIST, first time | {first:.1f} s |",
        f"| Load MNIST again (fast local copy) | {then:.1f} s |",
    ]
    for name, fit in results["fits"].items():
        lines.append(
            f"| Fit {name} | {fit['fit_seconds']:.1f} s, {fit['epochs']} epochs, "
            f"test score {fit['score']:.3f}, peak memory {fit['peak_mb']:,.0f} MB |"
        )
    for name in ("classic, float32 DataFrame", "classic, float32 array (episode 3)"):
        fit = results["fits"][name]
        lines.append(
            f"| Predict {fit['test_rows']:,} test digits one row at a time vs one call "
            f"({name.split(', ')[1]}) | "
            f"{fit['loop']:.2f} s vs {fit['vectorised']:.3f} s "
            f"({fit['loop'] / fit['vectorised']:.0f}x faster in one call) |"
        )
    for name, run in results["notebooks"].items():
        lines.append(
            f"| Run `{name}` top to bottom | {run['seconds']:.0f} s "
            f"(slowest: code cell {run['cell']}, {run['cell_seconds']:.0f} s); "
            f"kernel peak memory {run['peak_mb']:,} MB |"
        )
    if results["notebooks"]:
        total = sum(run["seconds"] for run in results["notebooks"].values())
        lines.append(f"| All notebooks | {total:.0f} s |")
    return "\n".join(lines) + "\n"


def write_section(path: Path, section: str) -> None:
    """Put ``section`` into the Markdown file, replacing one with the same heading."""
    heading = section.splitlines()[0]
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    parts = re.split(r"(?m)^(?=## )", text)
    kept = [part for part in parts if part and not part.startswith(heading)]
    path.write_text("".join(kept).rstrip() + "\n\n" + section, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Measure, print the Markdown table, and optionally write it to a file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", type=Path, help="stand-in data home (70,000 digits)")
    parser.add_argument("--write", type=Path, help="Markdown file to add the results to")
    parser.add_argument("--skip-notebooks", action="store_true")
    args = parser.parse_args(argv)
    if args.full is not None and not (args.full / "openml").is_dir():
        sys.exit(f"{args.full}: no OpenML cache here; make one with tools/make_openml_standin.py")
    section = report(measure(args.full, args.skip_notebooks), full=args.full is not None)
    print(section)
    if args.write:
        write_section(args.write, section)


if __name__ == "__main__":
    main()
