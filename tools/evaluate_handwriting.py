"""Check that ``nn_helpers.load_digit_image`` prepares drawn and photographed digits well.

Usage::

    python tools/evaluate_handwriting.py            # a minute or two

It trains episode 4's model (MLPClassifier, 50 hidden neurons, up to 50
iterations, early stopping) on the first 90% of the 5,000-digit MNIST sample,
then takes the held-out last 10% and redraws every digit twice, as a learner's file would look:

- "paint": scaled up to 200-400 pixels, dark ink on a white canvas of random
  size, at a random place, saved as PNG;
- "photo": on a larger off-white sheet with a lighting gradient, noise and a
  slight blur, saved as JPEG, a third of them stored sideways or upside down
  with an EXIF orientation tag (as phones do).

Each file is read back with ``load_digit_image`` and classified. If the
preparation works, the accuracy on the redrawn files is within a few points of
the accuracy on the original digits. The three accuracies are printed.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np
import pandas as pd
from PIL import Image
from sklearn.neural_network import MLPClassifier

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "notebooks"))

import nn_helpers  # noqa: E402

#: EXIF orientation values and the np.rot90 turns that make the stored picture.
ORIENTATIONS = {3: 2, 6: 1, 8: 3}  # 3: upside down, 6/8: sideways


def ink_on_canvas(
    digit: np.ndarray, rng: np.random.Generator, sizes: tuple[int, int], margins: tuple[int, int]
) -> np.ndarray:
    """Enlarge the 28 x 28 digit to a random size and place it at a random spot.

    Returns the amount of ink (0-1, float32) at each pixel of a canvas whose
    sides are the digit's size plus a random margin.
    """
    size = int(rng.integers(*sizes))
    ink = cv2.resize(digit, (size, size), interpolation=cv2.INTER_CUBIC).astype(np.float32) / 255
    ink = np.clip(ink, 0, 1)
    height, width = size + int(rng.integers(*margins)), size + int(rng.integers(*margins))
    top, left = int(rng.integers(0, height - size + 1)), int(rng.integers(0, width - size + 1))
    amount = np.zeros((height, width), np.float32)
    amount[top : top + size, left : left + size] = ink
    return amount


def redraw_as_paint(digit: np.ndarray, rng: np.random.Generator) -> bytes:
    """Return PNG bytes of the 28 x 28 digit redrawn as dark ink on a white canvas."""
    amount = ink_on_canvas(digit, rng, sizes=(200, 401), margins=(0, 300))
    height, width = amount.shape
    pen = rng.integers(0, 90, size=3).astype(np.float32)
    canvas = 255 * (1 - amount[..., None]) + pen * amount[..., None]
    ok, encoded = cv2.imencode(".png", np.round(canvas).astype(np.uint8))
    assert ok
    return encoded.tobytes()


def redraw_as_photo(digit: np.ndarray, rng: np.random.Generator, index: int) -> bytes:
    """Return JPEG bytes of the digit written on paper and photographed badly."""
    amount = ink_on_canvas(digit, rng, sizes=(150, 351), margins=(150, 500))
    height, width = amount.shape
    paper = np.array([rng.uniform(190, 240), rng.uniform(200, 245), rng.uniform(210, 250)])
    pen = rng.uniform(10, 80, size=3)
    picture = paper * (1 - amount[..., None]) + pen * amount[..., None]
    rows, columns = np.mgrid[0:height, 0:width]
    angle = rng.uniform(0, 2 * np.pi)
    slope = (np.cos(angle) * columns / width + np.sin(angle) * rows / height).astype(np.float32)
    slope = (slope - slope.min()) / max(float(np.ptp(slope)), 1e-6)
    light = 1.0 - rng.uniform(0.2, 0.45) * slope
    picture = picture * light[..., None] + rng.normal(0, 6, picture.shape)
    picture = cv2.GaussianBlur(np.clip(picture, 0, 255).astype(np.uint8), (5, 5), 0)
    exif = Image.Exif()
    if index % 3 == 0:
        orientation = list(ORIENTATIONS)[(index // 3) % 3]
        picture = np.ascontiguousarray(np.rot90(picture, ORIENTATIONS[orientation]))
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    rgb = cv2.cvtColor(picture, cv2.COLOR_BGR2RGB)
    Image.fromarray(rgb).save(buffer, format="JPEG", quality=int(rng.integers(70, 95)), exif=exif)
    return buffer.getvalue()


def main() -> None:
    """Train, redraw the test digits, read them back and print the three accuracies."""
    start = time.perf_counter()
    data, labels = nn_helpers.load_mnist("sample")
    data = data.astype("float32") / 255
    split = int(len(data) * 0.9)
    data_train, labels_train = data.iloc[:split], labels.iloc[:split]
    data_test, labels_test = data.iloc[split:], labels.iloc[split:]
    model = MLPClassifier(
        hidden_layer_sizes=(50,), max_iter=50, random_state=1, early_stopping=True
    )
    with nn_helpers.print_warnings():
        model.fit(data_train, labels_train)
    raw = (data_test.to_numpy() * 255).round().astype(np.uint8).reshape(-1, 28, 28)
    rng = np.random.default_rng(2024)
    rows = {"paint": [], "photo": []}
    with tempfile.TemporaryDirectory() as folder:
        for index, digit in enumerate(raw):
            for kind, make, suffix in (
                ("paint", lambda d: redraw_as_paint(d, rng), ".png"),
                ("photo", lambda d, i=index: redraw_as_photo(d, rng, i), ".jpg"),
            ):
                path = Path(folder) / f"{kind}-{index}{suffix}"
                path.write_bytes(make(digit))
                rows[kind].append(nn_helpers.load_digit_image(path))
    accuracies = {"original digits": model.score(data_test, labels_test)}
    for kind, label in (("paint", "paint-program PNGs"), ("photo", "photos of paper (JPEG)")):
        redrawn = pd.concat(rows[kind], ignore_index=True)
        accuracies[label] = float(np.mean(model.predict(redrawn) == labels_test.to_numpy()))
    print(f"{len(raw)} held-out digits; model trained on {split:,} digits.")
    for label, accuracy in accuracies.items():
        print(f"Accuracy on {label}: {accuracy:.3f}")
    print(f"Took {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
