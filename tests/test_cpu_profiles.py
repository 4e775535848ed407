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
def test_the_sandy_bridge_profile_changes_the_kernels_the_libraries_report():
    found = selected_kernels(check_cpu_profiles.environment("sandybridge"))
    assert "Sandybridge" in {kernel["architecture"] for kernel in found["blas"]}
    assert found["torch"]["capability"] == "DEFAULT"
    assert found["onednn"] is not None and "SSE4.1" in found["onednn"]


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
    ("found", "options", "expected"),
    [
        (FOUND, {}, "OpenBLAS Haswell, OpenBLAS Katmai; PyTorch AVX2, oneDNN Intel AVX2"),
        (
            FOUND,
            {"threads": True},
            "OpenBLAS Haswell ×2, OpenBLAS Katmai ×1; PyTorch AVX2 ×2, oneDNN Intel AVX2",
        ),
        (FOUND, {"torch": False}, "OpenBLAS Haswell, OpenBLAS Katmai"),
        ({**FOUND, "torch": None}, {}, "OpenBLAS Haswell, OpenBLAS Katmai"),
    ],
    ids=["sorted-once-each", "threads", "step-without-pytorch", "pytorch-missing"],
)
def test_kernels_are_described_in_words_sorted_and_once_each(found, options, expected):
    assert describe(found, **options) == expected


def test_the_cpu_is_described_with_its_cores_and_vector_instructions(tmp_path, monkeypatch):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("model name\t: Example CPU 9000\nflags\t\t: fpu sse2 avx fma avx2\n")
    monkeypatch.setattr(project, "CPUINFO", cpuinfo)
    monkeypatch.setattr(project.os, "cpu_count", lambda: 4)
    assert project.cpu_description() == "Example CPU 9000, 4 cores, AVX FMA AVX2"


def test_a_cpu_without_avx_says_so(tmp_path, monkeypatch):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("model name\t: Old CPU\nflags\t\t: fpu sse2\n")
    monkeypatch.setattr(project, "CPUINFO", cpuinfo)
    assert project.cpu_description().endswith("no AVX")
