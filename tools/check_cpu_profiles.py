"""Run the notebook checks as other computers would run them.

Usage::

    python tools/check_cpu_profiles.py                 # every profile, one after another
    python tools/check_cpu_profiles.py sandybridge     # some profiles (.ci/run runs this one)

A trained network's last digits depend on the processor: which vector instructions the
numerical libraries use (AVX-512, AVX2, AVX without FMA, plain SSE) and how many threads
share a sum. Learners bring all kinds, so the saved outputs must hold on all of them (the
notebook checks compare numbers from training within a tolerance: see
``tests/nbval_tolerance.py``). This script emulates other processors on the one it runs
on, with the switches of the libraries themselves:

- ``OPENBLAS_CORETYPE`` makes OpenBLAS (NumPy's and SciPy's, which scikit-learn's
  ``MLPClassifier`` multiplies with) use its kernels for another CPU;
- ``ATEN_CPU_CAPABILITY`` caps PyTorch's own kernels (``default`` means no AVX at all),
  ``ONEDNN_MAX_CPU_ISA`` caps oneDNN, which PyTorch's convolutions use, and
  ``MKL_ENABLE_INSTRUCTIONS`` caps MKL, which its dense layers use;
- ``OPENBLAS_NUM_THREADS`` and ``OMP_NUM_THREADS`` set the threads of OpenBLAS and of
  PyTorch.

Whether a switch took effect is best asked of the libraries, in a fresh process with that
environment (``python tools/check_cpu_profiles.py --kernels`` prints it): threadpoolctl names
OpenBLAS's kernel, ``torch.backends.cpu.get_cpu_capability()`` PyTorch's, and oneDNN names
its instruction set when asked to be verbose. For each profile this script prints that, then
runs nbval over every notebook with the 5,000-digit sample; pytest's own summary ends with the
largest move of a trained number from the saved outputs. Exits 1 if any profile fails. About 1
to 2 minutes a profile on a 2-core computer. ``tools/benchmark.py`` measures under these
profiles too (its steps run in fresh interpreters through :func:`run_python`), and writes the
kernels beside its figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from project import ROOT, cpu_description

#: Profile name -> the environment that emulates it.
PROFILES = {
    "native": {},
    # Most laptops: AVX2 without AVX-512 (Haswell is OpenBLAS's name for its AVX2 kernels).
    "avx2": {
        "OPENBLAS_CORETYPE": "Haswell",
        "ATEN_CPU_CAPABILITY": "avx2",
        "ONEDNN_MAX_CPU_ISA": "AVX2",
        "MKL_ENABLE_INSTRUCTIONS": "AVX2",
    },
    "sandybridge": {
        "OPENBLAS_CORETYPE": "Sandybridge",
        "ATEN_CPU_CAPABILITY": "default",
        "ONEDNN_MAX_CPU_ISA": "SSE41",
    },
    "prescott": {
        "OPENBLAS_CORETYPE": "Prescott",
        "ATEN_CPU_CAPABILITY": "avx2",
        "ONEDNN_MAX_CPU_ISA": "AVX2",
    },
    "one-thread": {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"},
    "two-threads": {"OPENBLAS_NUM_THREADS": "2", "OMP_NUM_THREADS": "2"},
}


def environment(profile: str) -> dict[str, str]:
    """The environment of a profile: this one, the sample, and the profile's switches."""
    env = {**os.environ, "MNIST_SOURCE": "sample", **PROFILES[profile]}
    for name in {name for settings in PROFILES.values() for name in settings}:
        if name not in PROFILES[profile]:
            env.pop(name, None)  # a switch set in the shell would blur the profiles
    return env


def print_kernels() -> None:
    """Load the libraries as the lesson does and print their kernels: ``KERNELS {json}``.

    threadpoolctl gives the kernel (``architecture``) and threads of each OpenBLAS loaded.
    """
    import cv2  # noqa: F401 - OpenCV brings an OpenBLAS of its own
    import scipy.linalg  # noqa: F401 - loads SciPy's OpenBLAS (NumPy's comes with it)
    from threadpoolctl import threadpool_info

    blas = [
        {"architecture": info.get("architecture", "?"), "threads": info["num_threads"]}
        for info in threadpool_info()
        if info["internal_api"] == "openblas"
    ]
    found = {"blas": blas, "torch": None}
    try:
        import torch
    except ImportError:
        pass
    else:
        torch.nn.Conv2d(1, 16, 5)(torch.ones(64, 1, 28, 28))  # large enough for oneDNN
        capability, threads = torch.backends.cpu.get_cpu_capability(), torch.get_num_threads()
        found["torch"] = {"capability": capability, "threads": threads}
    print("KERNELS " + json.dumps(found), flush=True)


def run_python(arguments: list[str], env: dict[str, str]) -> str:
    """Run ``python ARGUMENTS`` in a fresh interpreter under ``env``; return what it printed.

    The switches apply before any library loads, and the child's peak memory is its own.
    Raises ``RuntimeError`` with the end of the child's error output if it fails.
    """
    command = [sys.executable, *arguments]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(arguments)} failed:\n{result.stderr[-2000:]}")
    return result.stdout


def selected_kernels(env: dict[str, str]) -> dict:
    """The kernels the libraries choose under ``env``, read in a child process.

    Returns ``blas`` (one ``{"architecture", "threads"}`` per OpenBLAS loaded), ``torch``
    (``{"capability", "threads"}``, or None without PyTorch) and ``onednn`` (the instruction
    set oneDNN reports, or None if it was not used).
    """
    printed = run_python([__file__, "--kernels"], {**env, "ONEDNN_VERBOSE": "1"})
    found = json.loads(re.search(r"^KERNELS (.*)$", printed, re.MULTILINE)[1])
    isa = re.search(r"onednn_verbose,.*isa:([^,\n]+)", printed)
    return {**found, "onednn": isa[1].strip() if isa else None}


def describe(found: dict) -> str:
    """The kernels and their threads in words: ``OpenBLAS Haswell ×2; PyTorch AVX2 ×2, oneDNN
    Intel AVX2`` (each OpenBLAS once, sorted; PyTorch only if it is installed)."""
    blas = {f"OpenBLAS {kernel['architecture']} ×{kernel['threads']}" for kernel in found["blas"]}
    text = ", ".join(sorted(blas)) or "OpenBLAS ?"
    if pytorch := found.get("torch"):
        text += f"; PyTorch {pytorch['capability']} ×{pytorch['threads']}"
        text += f", oneDNN {found.get('onednn') or 'not used'}"
    return text


def run_notebook_checks(
    notebooks: str | Path = "notebooks", env: dict[str, str] | None = None, **options
) -> subprocess.CompletedProcess:
    """Run the lesson's notebook checks (nbval with its sanitizer and tolerance) in a child
    pytest, also on notebooks outside the lesson; ``options`` go to ``subprocess.run``."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rf"]
    command += ["-c", "pyproject.toml", "-p", "tests.nbval_tolerance", str(notebooks)]
    return subprocess.run(command, cwd=ROOT, env=env, check=False, **options)


def main(argv: list[str] | None = None) -> None:
    """Report and check each profile named on the command line (default: all)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profiles", nargs="*", choices=[[], *PROFILES], metavar="PROFILE")
    parser.add_argument("--kernels", action="store_true", help="print this process's kernels")
    args = parser.parse_args(argv)
    if args.kernels:  # in the fresh process that selected_kernels started
        print_kernels()
        return
    print(f"Processor: {cpu_description()}", flush=True)
    failed = 0
    for profile in args.profiles or list(PROFILES):
        print(f"{profile}: {describe(selected_kernels(environment(profile)))}", flush=True)
        passed = run_notebook_checks(env=environment(profile)).returncode == 0
        failed += not passed
        print(f"{profile}: {'OK' if passed else 'FAIL'}", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
