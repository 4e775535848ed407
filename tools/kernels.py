"""Which kernels the numerical libraries choose, as the libraries report it themselves.

A processor's vector instructions (AVX-512, AVX2, AVX, SSE) decide which kernels OpenBLAS
(NumPy's and SciPy's, which scikit-learn multiplies with) and PyTorch use, and switches in the
environment (``OPENBLAS_CORETYPE``, ``ATEN_CPU_CAPABILITY``, ``ONEDNN_MAX_CPU_ISA``) can choose
others. Whether a switch took effect is best asked of the libraries, in a fresh process with
that environment: threadpoolctl names OpenBLAS's kernel, ``torch.backends.cpu.get_cpu_capability()``
PyTorch's, and oneDNN (PyTorch's convolutions) names its instruction set when asked to be
verbose. ``tools/benchmark.py`` writes these beside its figures and
``tools/check_cpu_profiles.py`` beside its profiles.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys


def openblas_kernels() -> list[dict]:
    """The kernel (``architecture``) and threads of each OpenBLAS loaded, as threadpoolctl sees."""
    from threadpoolctl import threadpool_info

    return [
        {"architecture": info.get("architecture", "?"), "threads": info["num_threads"]}
        for info in threadpool_info()
        if info["internal_api"] == "openblas"
    ]


def print_kernels() -> None:
    """Load the libraries as the lesson does and print their kernels: ``KERNELS {json}``.

    Run by :func:`selected_kernels` as ``python tools/kernels.py`` in a fresh process, so that
    the environment's switches apply before the libraries load.
    """
    import cv2  # noqa: F401 - OpenCV brings an OpenBLAS of its own
    import scipy.linalg  # noqa: F401 - loads SciPy's OpenBLAS (NumPy's comes with it)

    found = {"blas": openblas_kernels(), "torch": None}
    try:
        import torch
    except ImportError:
        pass
    else:
        torch.nn.Conv2d(1, 16, 5)(torch.ones(64, 1, 28, 28))  # large enough for oneDNN
        capability, threads = torch.backends.cpu.get_cpu_capability(), torch.get_num_threads()
        found["torch"] = {"capability": capability, "threads": threads}
    print("KERNELS " + json.dumps(found), flush=True)


def selected_kernels(env: dict[str, str]) -> dict:
    """The kernels the libraries choose under ``env``, read in a child process.

    Returns ``blas`` (one ``{"architecture", "threads"}`` per OpenBLAS loaded), ``torch``
    (``{"capability", "threads"}``, or None without PyTorch) and ``onednn`` (the instruction
    set oneDNN reports, or None if it was not used).
    """
    result = subprocess.run(
        [sys.executable, __file__],
        env={**env, "ONEDNN_VERBOSE": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(re.search(r"^KERNELS (.*)$", result.stdout, re.MULTILINE)[1])
    isa = re.search(r"onednn_verbose,.*isa:([^,\n]+)", result.stdout)
    return {**found, "onednn": isa[1].strip() if isa else None}


def describe(found: dict, torch: bool = True, threads: bool = False) -> str:
    """The kernels in words: ``OpenBLAS Haswell; PyTorch AVX2, oneDNN Intel AVX2``.

    ``torch=False`` leaves PyTorch out (a step that does not use it); ``threads=True`` adds
    each library's number of threads (``OpenBLAS Haswell ×2``).
    """
    blas = {
        f"OpenBLAS {kernel['architecture']}" + (f" ×{kernel['threads']}" if threads else "")
        for kernel in found.get("blas", [])
    }
    text = ", ".join(sorted(blas)) or "OpenBLAS ?"
    if torch and found.get("torch"):
        pytorch = found["torch"]
        text += f"; PyTorch {pytorch['capability']}"
        text += f" ×{pytorch['threads']}" if threads else ""
        text += f", oneDNN {found.get('onednn') or 'not used'}"
    return text


if __name__ == "__main__":
    print_kernels()
