"""The CPU profiles of tools/check_cpu_profiles.py really select other kernels, as the
libraries themselves report it, and a profile is not blurred by switches left in the shell."""

from __future__ import annotations

import platform

import check_cpu_profiles
import project
import pytest
from check_cpu_profiles import describe, selected_kernels


@pytest.mark.parametrize(
    ("profile", "coretype"), [("native", None), ("sandybridge", "Sandybridge")]
)
def test_a_profile_sets_its_switches_and_drops_others_left_in_the_shell(
    monkeypatch, profile, coretype
):
    monkeypatch.setenv("OPENBLAS_CORETYPE", "Haswell")
    monkeypatch.setenv("OMP_NUM_THREADS", "7")
    env = check_cpu_profiles.environment(profile)
    assert env.get("OPENBLAS_CORETYPE") == coretype
    assert "OMP_NUM_THREADS" not in env and env["MNIST_SOURCE"] == "sample"


#: The profiles emulate other x86-64 processors; elsewhere (an ARM Mac) their switches mean nothing.
x86_only = pytest.mark.skipif(
    platform.machine().lower() not in {"x86_64", "amd64"},
    reason="the CPU profiles emulate x86-64 processors",
)


@x86_only
@pytest.mark.parametrize(
    ("profile", "openblas", "pytorch", "onednn"),
    [("sandybridge", "Sandybridge", "DEFAULT", "SSE4.1"), ("avx2", "Haswell", "AVX2", "AVX2")],
)
def test_a_profile_changes_the_kernels_the_libraries_report(profile, openblas, pytorch, onednn):
    found = selected_kernels(check_cpu_profiles.environment(profile))
    assert openblas in {kernel["architecture"] for kernel in found["blas"]}
    assert found["torch"]["capability"] == pytorch
    assert found["onednn"] is not None and onednn in found["onednn"]


def test_the_one_thread_profile_gives_every_library_one_thread():
    found = selected_kernels(check_cpu_profiles.environment("one-thread"))
    assert {kernel["threads"] for kernel in found["blas"]} == {1}
    assert found["torch"]["threads"] == 1


#: Two OpenBLAS builds (one of them found twice) and PyTorch, as selected_kernels finds them.
FOUND = {
    "blas": [
        {"architecture": "Katmai", "threads": 1},
        {"architecture": "Haswell", "threads": 2},
        {"architecture": "Haswell", "threads": 2},
    ],
    "torch": {"capability": "AVX2", "threads": 2},
    "onednn": "Intel AVX2",
}


@pytest.mark.parametrize(
    ("torch", "expected"),
    [
        (
            FOUND["torch"],
            "OpenBLAS Haswell ×2, OpenBLAS Katmai ×1; PyTorch AVX2 ×2, oneDNN Intel AVX2",
        ),
        (None, "OpenBLAS Haswell ×2, OpenBLAS Katmai ×1"),
    ],
    ids=["with-pytorch", "pytorch-missing"],
)
def test_kernels_are_described_in_words_sorted_and_once_each(torch, expected):
    assert describe({**FOUND, "torch": torch}) == expected


@pytest.mark.parametrize(
    ("flags", "expected"),
    [("fpu sse2 avx fma avx2", "AVX FMA AVX2"), ("fpu sse2 avx512f", "AVX-512"), ("fpu", "no AVX")],
)
def test_the_cpu_is_described_with_its_cores_and_vector_instructions(
    tmp_path, monkeypatch, flags, expected
):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(f"model name\t: Example CPU 9000\nflags\t\t: {flags}\n")
    monkeypatch.setattr(project, "CPUINFO", cpuinfo)
    monkeypatch.setattr(project.os, "cpu_count", lambda: 4)
    assert project.cpu_description() == f"Example CPU 9000, 4 cores, {expected}"
