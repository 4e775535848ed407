"""Tests for tools/check_setup.py, the learners' pre-workshop check."""

from __future__ import annotations

import gzip
import importlib.metadata
import io

import check_setup
import pytest


class FakeDistribution:
    """Stands in for an installed distribution of a given version."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.metadata = {"Name": "numpy"}

    def read_text(self, name: str) -> str:
        return "numpy\n" if name == "top_level.txt" else ""


def not_installed(name: str):
    raise importlib.metadata.PackageNotFoundError(name)


def test_python_check_fails_below_3_11():
    ok, text = check_setup.check_python((3, 10, 12))
    assert not ok and "3.10.12" in text and "3.11" in text


def test_python_check_passes_for_3_11_and_newer():
    assert check_setup.check_python((3, 11, 0))[0]
    assert check_setup.check_python((3, 13, 1))[0]


def test_parse_requirements_reads_pins_and_skips_comments_options_and_markers():
    text = (
        "# comment\n\nnumpy==2.4.6  # arrays\n-r other.txt\npandas\n"
        "scipy == 1.17.1 ; python_version>'3'\n"
    )
    assert check_setup.parse_requirements(text) == [
        ("numpy", "2.4.6"),
        ("pandas", None),
        ("scipy", "1.17.1"),
    ]


def test_package_check_names_installed_and_pinned_versions_when_they_differ():
    ok, text = check_setup.check_package(
        "numpy", "2.4.6", find=lambda name: FakeDistribution("1.26.0"), load=lambda module: None
    )
    assert not ok
    assert "1.26.0 is installed" in text and "pins 2.4.6" in text


def test_package_check_passes_when_the_installed_version_is_the_pinned_one():
    ok, _ = check_setup.check_package(
        "numpy", "2.4.6", find=lambda name: FakeDistribution("2.4.6"), load=lambda module: None
    )
    assert ok


def test_package_check_fails_for_a_package_that_is_not_installed():
    ok, text = check_setup.check_package("numpy", "2.4.6", find=not_installed)
    assert not ok and "not installed" in text and "pip install -r requirements.txt" in text


def test_package_check_fails_when_the_package_cannot_be_imported():
    def broken(module: str):
        raise ImportError("DLL load failed")

    ok, text = check_setup.check_package(
        "numpy", None, find=lambda name: FakeDistribution("2.4.6"), load=broken
    )
    assert not ok and "import numpy" in text and "DLL load failed" in text


@pytest.mark.parametrize(
    ("distribution", "module"),
    [("scikit-learn", "sklearn"), ("opencv-python-headless", "cv2"), ("ipython", "IPython")],
)
def test_import_name_maps_a_distribution_to_the_module_it_provides(distribution, module):
    found = importlib.metadata.distribution(distribution)
    assert check_setup.import_name(found) == module


def test_package_check_passes_for_a_real_installed_package():
    pinned = importlib.metadata.version("numpy")
    assert check_setup.check_package("numpy", pinned)[0]


def test_opencv_check_passes_here():
    assert check_setup.check_opencv()[0]


def test_matplotlib_check_passes_here():
    assert check_setup.check_matplotlib()[0]


def test_sample_check_passes_for_the_installed_sample():
    assert check_setup.check_sample()[0]


def test_sample_check_fails_for_a_missing_file(tmp_path):
    ok, text = check_setup.check_sample(tmp_path / "mnist_5k.csv.gz")
    assert not ok and "missing" in text


def test_sample_check_fails_for_a_file_whose_rows_are_not_digits(tmp_path):
    path = tmp_path / "mnist_5k.csv.gz"
    with gzip.open(path, "wt") as file:
        file.write("1,2,3\n")
    ok, text = check_setup.check_sample(path)
    assert not ok and "damaged" in text


def test_openml_check_passes_when_mnist_is_downloaded():
    ok, _ = check_setup.check_openml(downloaded=lambda: True, reachable=lambda: False)
    assert ok


def test_openml_check_passes_when_openml_answers():
    ok, _ = check_setup.check_openml(downloaded=lambda: False, reachable=lambda: True)
    assert ok


def test_openml_check_says_the_sample_will_be_used_when_offline():
    ok, text = check_setup.check_openml(downloaded=lambda: False, reachable=lambda: False)
    assert not ok and "5,000-digit sample" in text


def test_a_missed_optional_check_prints_a_note_and_is_not_a_failure():
    out = io.StringIO()
    failures = check_setup.run([check_setup.Check(lambda: (False, "offline"), False)], out)
    assert failures == 0
    assert out.getvalue().splitlines()[0] == "NOTE  offline"


def test_a_check_that_crashes_counts_as_a_failure():
    def crash():
        raise RuntimeError("boom")

    out = io.StringIO()
    failures = check_setup.run([check_setup.Check(crash)], out)
    assert failures == 1
    assert out.getvalue().startswith("FAIL") and "boom" in out.getvalue()


def test_every_package_in_requirements_is_pinned():
    text = check_setup.REQUIREMENTS.read_text(encoding="utf-8")
    unpinned = [name for name, pinned in check_setup.parse_requirements(text) if pinned is None]
    assert unpinned == []


def test_the_whole_setup_check_passes_in_this_environment_without_the_network(
    capsys, monkeypatch, tmp_path
):
    import nn_helpers.data

    monkeypatch.setattr(nn_helpers.data, "PROBE_URL", "http://127.0.0.1:9/")
    monkeypatch.setenv("SCIKIT_LEARN_DATA", str(tmp_path))
    assert check_setup.main() == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(line.split()[0] in {"OK", "NOTE"} for line in lines[:-1]), lines
    assert lines[-1].startswith("All ")
