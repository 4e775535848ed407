"""Check how well ``nn_helpers.load_digit_image`` prepares drawn and photographed digits.

Usage::

    python tools/evaluate_handwriting.py                     # about a minute; prints a report
    python tools/evaluate_handwriting.py --out data/handwriting-evaluation.md

It trains episode 4's network (the model episode 3 ends with) on the 5,000-digit
MNIST sample, exactly as the notebook does, and takes the 500 held-out test
digits. Each test digit is saved again in five styles, as a learner's file
might look, read back with ``load_digit_image`` and classified:

- RGB PNG: dark ink of a random colour on a light canvas, enlarged to 80-400
  pixels and placed anywhere on a larger canvas;
- transparent PNG: the ink only in the alpha channel (dark ink with white or
  black stored behind it, or white ink);
- grey JPEG: dark on white, enlarged, JPEG quality 60-95;
- 28 x 28: the digit as MNIST stores it, inverted (dark on white), or shrunk
  to 8-16 pixels and put anywhere on the 28 x 28 canvas, in either colour;
- photo: grey paper lit unevenly, noise and blur, JPEG, a third of them stored
  sideways or upside down with an EXIF orientation tag (as phones do).

The report gives, per style, the accuracy and how often the prediction is the
same as for the raw digit: if the preparation were perfect, both would match the
raw digits' accuracy and 100%. The redrawing is seeded, so runs agree.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import cv2
import nn_helpers
import numpy as np
from PIL import Image
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

#: EXIF orientation values and the np.rot90 turns that make the stored picture.
ORIENTATIONS = {3: 2, 6: 1, 8: 3}  # 3: upside down, 6 and 8: sideways

#: Interpolations a paint program might use to enlarge a small picture.
ENLARGE = [cv2.INTER_NEAREST, cv2.INTER_LINEAR, cv2.INTER_CUBIC]


def enlarged(digit: np.ndarray, rng: np.random.Generator, sizes, margins) -> np.ndarray:
    """Return the ink amount (0-1) of the digit enlarged and placed at random on a canvas."""
    size = int(rng.integers(*sizes))
    interpolation = ENLARGE[int(rng.integers(len(ENLARGE)))]
    ink = np.clip(cv2.resize(digit, (size, size), interpolation=interpolation) / 255, 0, 1)
    height, width = size + int(rng.integers(*margins)), size + int(rng.integers(*margins))
    top, left = int(rng.integers(0, height - size + 1)), int(rng.integers(0, width - size + 1))
    amount = np.zeros((height, width))
    amount[top : top + size, left : left + size] = ink
    return amount


def png(picture: np.ndarray) -> bytes:
    """PNG bytes of a grey, BGR or BGRA picture."""
    return cv2.imencode(".png", np.round(picture).astype(np.uint8))[1].tobytes()


def jpeg(picture: np.ndarray, quality: int, orientation: int | None = None) -> bytes:
    """JPEG bytes of a grey picture, with an EXIF orientation tag if given."""
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    image = Image.fromarray(np.clip(np.round(picture), 0, 255).astype(np.uint8))
    image.save(buffer, format="JPEG", quality=quality, exif=exif)
    return buffer.getvalue()


def rgb_png(digit: np.ndarray, rng: np.random.Generator) -> bytes:
    """Dark ink of a random colour on a light canvas (PNG, 3 channels)."""
    amount = enlarged(digit, rng, sizes=(80, 401), margins=(0, 300))[..., None]
    paper, pen = rng.uniform(215, 255, size=3), rng.uniform(0, 110, size=3)
    return png(paper * (1 - amount) + pen * amount)


def transparent_png(digit: np.ndarray, rng: np.random.Generator) -> bytes:
    """The ink in the alpha channel only (PNG, 4 channels)."""
    amount = enlarged(digit, rng, sizes=(80, 401), margins=(0, 300))
    kind = int(rng.integers(3))  # dark ink over black, dark ink over white, white ink
    colour = [(0, 0, 0), tuple(rng.uniform(0, 110, size=3)), (255, 255, 255)][kind]
    layer = np.zeros((*amount.shape, 4))
    layer[..., :3] = colour
    if kind == 1:
        layer[amount == 0, :3] = 255
    layer[..., 3] = 255 * amount
    return png(layer)


def grey_jpeg(digit: np.ndarray, rng: np.random.Generator) -> bytes:
    """Dark on white in grey, saved as JPEG."""
    amount = enlarged(digit, rng, sizes=(60, 401), margins=(0, 300))
    return jpeg(255 * (1 - amount), quality=int(rng.integers(60, 96)))


def mnist_28(digit: np.ndarray, rng: np.random.Generator) -> bytes:
    """28 x 28: as stored, inverted, or small and anywhere, light on black or dark on white."""
    kind = int(rng.integers(4))
    picture = digit.astype(float)
    if kind >= 2:  # a small digit anywhere on the canvas
        x, y, width, height = cv2.boundingRect(digit)
        scale = rng.uniform(8, 17) / max(width, height)
        size = max(1, round(width * scale)), max(1, round(height * scale))
        small = cv2.resize(digit[y : y + height, x : x + width], size, interpolation=cv2.INTER_AREA)
        top, left = rng.integers(0, 29 - size[1]), rng.integers(0, 29 - size[0])
        picture = np.zeros((28, 28))
        picture[top : top + size[1], left : left + size[0]] = small
    return png(255 - picture if kind % 2 else picture)


def photo(digit: np.ndarray, rng: np.random.Generator, index: int) -> bytes:
    """Grey paper lit unevenly, photographed: noise, blur, JPEG, maybe an EXIF turn."""
    amount = enlarged(digit, rng, sizes=(100, 351), margins=(150, 500))
    height, width = amount.shape
    paper, pen = rng.uniform(150, 230), rng.uniform(10, 70)
    rows, columns = np.mgrid[0:height, 0:width]
    angle = rng.uniform(0, 2 * np.pi)
    slope = np.cos(angle) * columns / width + np.sin(angle) * rows / height
    slope = (slope - slope.min()) / max(float(np.ptp(slope)), 1e-6)
    light = 1.0 - rng.uniform(0.2, 0.5) * slope
    picture = (paper * (1 - amount) + pen * amount) * light + rng.normal(0, 6, amount.shape)
    picture = cv2.GaussianBlur(np.clip(picture, 0, 255), (5, 5), 0)
    orientation = None
    if index % 3 == 0:
        orientation = list(ORIENTATIONS)[(index // 3) % 3]
        picture = np.rot90(picture, ORIENTATIONS[orientation])
    return jpeg(picture, quality=int(rng.integers(70, 96)), orientation=orientation)


#: Style name -> (function making the file's bytes from a digit, file suffix).
STYLES: dict[str, tuple[Callable, str]] = {
    "RGB PNG": (rgb_png, ".png"),
    "transparent PNG": (transparent_png, ".png"),
    "grey JPEG": (grey_jpeg, ".jpg"),
    "28 x 28": (mnist_28, ".png"),
    "photo": (photo, ".jpg"),
}


def train() -> tuple[MLPClassifier, np.ndarray, np.ndarray]:
    """Episode 4's network, trained as in the notebook; returns it and the test digits."""
    data, labels = nn_helpers.load_mnist("sample")
    X = data.to_numpy()
    y = labels
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.1, stratify=y, random_state=1
    )
    X_train = X_train / np.float32(255)
    X_test = X_test / np.float32(255)
    model = MLPClassifier(
        hidden_layer_sizes=(200,), max_iter=30, early_stopping=True, random_state=1
    )
    with warnings.catch_warnings():
        # The 30 epochs run out on the sample; episode 3 explains the warning.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X_train, y_train)
    return model, X_test, y_test.to_numpy()


def evaluate(model, X_test: np.ndarray, y_test: np.ndarray, folder: Path) -> list[str]:
    """Redraw every test digit in every style, read it back, and return the report's lines.

    Besides the table, the report says how many digits change answer in some style,
    and how many of those the network was unsure of (top probability below 0.9).
    """
    raw = model.predict(X_test)
    unsure = model.predict_proba(X_test).max(axis=1) < 0.9
    digits = np.round(X_test * 255).astype(np.uint8).reshape(-1, 28, 28)
    lines = [
        "| style | accuracy | same prediction as the raw digit |",
        "|---|---|---|",
        f"| raw MNIST digits | {np.mean(raw == y_test):.3f} | |",
    ]
    everything = []
    for number, (style, (make, suffix)) in enumerate(STYLES.items()):
        rng = np.random.default_rng(2024 + number)
        rows = []
        for index, digit in enumerate(digits):
            arguments = (digit, rng, index) if make is photo else (digit, rng)
            path = folder / f"{number}-{index}{suffix}"
            path.write_bytes(make(*arguments))
            rows.append(nn_helpers.load_digit_image(path))
        predicted = model.predict(np.vstack(rows))
        everything.append(predicted)
        same = np.mean(predicted == raw)
        lines.append(f"| {style} | {np.mean(predicted == y_test):.3f} | {same:.3f} |")
    predicted = np.concatenate(everything)
    accuracy = np.mean(predicted == np.tile(y_test, len(STYLES)))
    same = np.mean(predicted == np.tile(raw, len(STYLES)))
    lines.append(f"| all styles | {accuracy:.3f} | {same:.3f} |")
    changed = (np.vstack(everything) != raw).any(axis=0)
    lines += [
        "",
        f"{changed.sum()} test digits get a different answer in at least one style; "
        f"{unsure[changed].sum()} of them have a top probability below 0.9 as raw digits "
        f"(of all {len(raw)} test digits, {unsure.sum()} do).",
    ]
    return lines


def main(argv: list[str] | None = None) -> None:
    """Train, redraw the test digits in every style, and print (or save) the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="also write the report to this Markdown file")
    out = parser.parse_args(argv).out
    start = time.perf_counter()
    model, X_test, y_test = train()
    with tempfile.TemporaryDirectory() as folder:
        table = evaluate(model, X_test, y_test, Path(folder))
    report = "\n".join(
        [
            "# How well load_digit_image prepares redrawn digits",
            "",
            f"Made by `python tools/evaluate_handwriting.py`: episode 4's network, trained on "
            f"{len(y_test) * 9:,} digits of the MNIST sample, reads its {len(y_test)} test digits "
            "as they are (raw) and redrawn in five styles (see the tool's docstring).",
            "",
            *table,
            "",
        ]
    )
    print(report)
    print(f"Took {time.perf_counter() - start:.1f} s")
    if out is not None:
        out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
