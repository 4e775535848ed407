"""Tests for ``tools/make_openml_standin.py``, the offline stand-in OpenML cache."""

import gzip
import hashlib
import json
from pathlib import Path

import make_openml_standin
import numpy as np
import pandas as pd
import pytest
import sklearn.datasets._openml
from sklearn.datasets import fetch_openml

N_DIGITS = 40


@pytest.fixture(scope="module")
def standin_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Write a 40-digit stand-in cache once for the module."""
    home = tmp_path_factory.mktemp("standin")
    make_openml_standin.write_standin_cache(home, n_digits=N_DIGITS, seed=0)
    return home


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any download attempt by ``fetch_openml`` fail loudly."""

    def refuse(*args, **kwargs):
        raise AssertionError("fetch_openml tried to download instead of using cache")

    monkeypatch.setattr(sklearn.datasets._openml, "urlopen", refuse)


def _fetch(data_home: Path) -> tuple[pd.DataFrame, pd.Series]:
    return fetch_openml(
        "mnist_784",
        version=1,
        return_X_y=True,
        as_frame=True,
        data_home=str(data_home),
        parser="pandas",
    )


@pytest.mark.filterwarnings("error")
def test_fetch_openml_loads_the_standin_offline_with_mnist_columns(standin_home):
    X, y = _fetch(standin_home)

    assert X.shape == (N_DIGITS, 784)
    assert list(X.columns) == [f"pixel{i}" for i in range(1, 785)]
    assert y.name == "class"
    assert isinstance(y.dtype, pd.CategoricalDtype)
    assert list(y.cat.categories) == [str(d) for d in range(10)]


def test_fetched_pixels_and_labels_are_the_written_digits_in_order(standin_home):
    X, y = _fetch(standin_home)
    pixels, labels = make_openml_standin.build_digits(N_DIGITS, seed=0)

    np.testing.assert_array_equal(X.to_numpy(), pixels)
    assert y.astype(str).tolist() == [str(label) for label in labels]
    assert not (np.diff(labels.astype(int)) >= 0).all(), "labels must be mixed"


def test_description_md5_matches_the_uncompressed_arff(standin_home):
    description_path = standin_home / make_openml_standin.DESCRIPTION_PATH
    with gzip.open(description_path, "rt", encoding="utf-8") as f:
        description = json.load(f)["data_set_description"]
    with gzip.open(standin_home / make_openml_standin.ARFF_PATH, "rb") as f:
        actual_md5 = hashlib.md5(f.read()).hexdigest()

    assert description["md5_checksum"] == actual_md5
    assert "stand-in" in description["description"].lower()


def test_zero_digits_is_rejected_with_value_error(tmp_path):
    with pytest.raises(ValueError, match="n_digits"):
        make_openml_standin.write_standin_cache(tmp_path, n_digits=0)
