"""Run the notebook checks as other computers would run them.

Usage::

    python tools/check_cpu_profiles.py                 # every profile, one after another
    python tools/check_cpu_profiles.py sandybridge     # some profiles (.ci/run runs this one)
    python tools/check_cpu_profiles.py --list          # only say what each profile selects

A trained network's last digits depend on the processor: which vector instructions the
numerical libraries use (AVX-512, AVX2, AVX without FMA, plain SSE) and how many threads
share a sum. Learners bring all kinds, so the saved outputs must hold on all of them (the
notebook checks compare numbers from training within a tolerance: see
``tests/nbval_tolerance.py``). This script emulates other processors on the one it runs
on, with the switches of the libraries themselves:

- ``OPENBLAS_CORETYPE`` makes OpenBLAS (NumPy's and SciPy's, which scikit-learn's
  ``MLPClassifier`` multiplies with) use its kernels for another CPU;
- ``ATEN_CPU_CAPABILITY`` caps PyTorch's own kernels (``default`` means no AVX at all),
  and ``ONEDNN_MAX_CPU_ISA`` caps oneDNN, which PyTorch's convolutions use;
- ``OPENBLAS_NUM_THREADS`` and ``OMP_NUM_THREADS`` set the threads of OpenBLAS and of
  PyTorch.

For each profile it first prints what the switches really select, as the libraries report
it (``tools/kernels.py``), then runs nbval over every notebook with the 5,000-digit sample;
pytest's own summary ends with the largest move of a trained number from the saved outputs.
Exits 1 if any profile fails. About 1 to 2 minutes a profile on a 2-core computer.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from kernels import describe, selected_kernels
from project import ROOT, cpu_description

#: Profile name -> the environment that emulates it.
PROFILES = {
    "native": {},
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


def run_notebook_checks(profile: str) -> bool:
    """Run nbval over the notebooks under a profile (pytest reports); return whether it passed."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rf", "notebooks"]
    return subprocess.run(command, cwd=ROOT, env=environment(profile), check=False).returncode == 0


def main(argv: list[str] | None = None) -> None:
    """Report and check each profile named on the command line (default: all)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profiles", nargs="*", choices=[[], *PROFILES], metavar="PROFILE")
    parser.add_argument("--list", action="store_true", help="only say what each profile selects")
    args = parser.parse_args(argv)
    print(f"Processor: {cpu_description()}", flush=True)
    failed = 0
    for profile in args.profiles or list(PROFILES):
        print(
            f"{profile}: {describe(selected_kernels(environment(profile)), threads=True)}",
            flush=True,
        )
        if args.list:
            continue
        passed = run_notebook_checks(profile)
        failed += not passed
        print(f"{profile}: {'OK' if passed else 'FAIL'}", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
