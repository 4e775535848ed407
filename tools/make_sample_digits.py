"""Draw the sample handwritten-style digit files in ``data/`` (deterministic).

Usage::

    python tools/make_sample_digits.py             # writes data/digit-*.png / .jpg
    python tools/make_sample_digits.py --out DIR   # somewhere else (the tests compare)

Episode 4 reads these files with ``nn_helpers.load_digit_image`` to show how a
picture from a paint program, or a photo of paper, becomes an MNIST-style row. Each
digit is written in OpenCV's handwriting-like Hershey script font (not copied from
MNIST) and saved in one of the styles of ``tools/photo_styles.py``, the styles the
handwriting evaluation uses. The seeds are chosen so that the files cover the awkward
cases on purpose: black ink on a transparent layer that stores black behind it, a small
digit off-centre on a 28 x 28 canvas (as the classic exercise asks learners to draw),
JPEG, a photo with uneven lighting, noise and an EXIF orientation tag, and phone photos
of ruled and squared paper, a sticky note on a desk, a sheet shot at an angle and a
full-size 3000 x 4000 phone photo stored sideways. One
more file, a thin pencil line on a large canvas, is drawn here. Each file name says
which digit it shows (``digit-<digit>-<kind>.<ext>``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2
import numpy as np
import photo_styles
from project import DATA

#: File name -> (digit, style in photo_styles, seed of its random choices).
SAMPLES = {
    "digit-7-paint.png": ("7", photo_styles.rgb_png, 7),
    "digit-3-transparent.png": ("3", photo_styles.transparent_png, 0),
    "digit-5-grey.jpg": ("5", photo_styles.grey_jpeg, 5),
    "digit-8-28x28.png": ("8", photo_styles.mnist_28, 29),
    "digit-4-photo.jpg": ("4", photo_styles.grey_photo, 0),
    "digit-2-ruled.jpg": ("2", photo_styles.ruled, 2),
    "digit-5-squared.jpg": ("5", photo_styles.squared, 5),
    "digit-3-sticky-note.jpg": ("3", photo_styles.sticky_note, 3),
    "digit-7-angled.jpg": ("7", photo_styles.angled, 7),
    "digit-1-phone.jpg": ("1", photo_styles.phone, 2),
}


def script_digit(digit: str) -> np.ndarray:
    """The digit in the script font, white on black, as the photo styles take a digit."""
    canvas = np.zeros((280, 280), np.uint8)
    font = cv2.FONT_HERSHEY_SCRIPT_SIMPLEX
    cv2.putText(canvas, digit, (45, 250), font, 8.0, 255, 22, cv2.LINE_AA)
    return canvas


def pencil_0() -> np.ndarray:
    """A thin grey pencil "0" on a big white canvas (strokes must survive shrinking)."""
    canvas = np.full((1000, 1400, 3), 255, np.uint8)
    cv2.ellipse(canvas, (650, 480), (150, 260), 8, 0, 360, (110, 110, 110), 4, cv2.LINE_AA)
    return canvas


def main(argv: list[str] | None = None) -> None:
    """Write every sample file into ``data/`` (or the folder given with ``--out``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA, help="folder to write into")
    out = parser.parse_args(argv).out
    out.mkdir(parents=True, exist_ok=True)
    (out / "digit-0-pencil.png").write_bytes(photo_styles.png(pencil_0()))
    for name, (digit, style, seed) in SAMPLES.items():
        (out / name).write_bytes(style(script_digit(digit), np.random.default_rng(seed)))
    for path in sorted(out.glob("digit-*")):
        print(f"{path.name}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
