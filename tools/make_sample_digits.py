"""Draw the sample handwritten-style digit files in ``data/`` (deterministic).

Usage::

    python tools/make_sample_digits.py             # writes data/digit-*.png / .jpg
    python tools/make_sample_digits.py --out DIR   # somewhere else (the tests compare)

Episode 4 reads these files with ``nn_helpers.load_digit_image`` to show how a
picture from a paint program, or a photo of paper, becomes an MNIST-style row. The
phone photos (ruled and squared paper, a sticky note on a desk, a sheet shot at an
angle) are drawn by ``tools/photo_styles.py``, the
styles the handwriting evaluation uses, from a digit in the script font.
They cover the awkward cases on purpose: transparency, dark ink on light paper,
a large canvas with thin strokes, a small digit off-centre on a 28 x 28 canvas
(as the classic exercise asks learners to draw), JPEG, and a
photo with uneven lighting, noise and an EXIF orientation tag. Each file name
says which digit it shows (``digit-<digit>-<kind>.<ext>``).

The digits are drawn with OpenCV strokes (polylines and the Hershey script
font), not copied from MNIST. Pillow (installed with matplotlib) writes the
EXIF tag, which OpenCV cannot write.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2
import numpy as np
import photo_styles
from photo_styles import jpeg, png
from project import DATA

#: The phone photos: file name -> (digit, style in photo_styles, seed of its random choices).
PHONE_PHOTOS = {
    "digit-2-ruled.jpg": ("2", photo_styles.ruled, 2),
    "digit-5-squared.jpg": ("5", photo_styles.squared, 5),
    "digit-3-sticky-note.jpg": ("3", photo_styles.sticky_note, 3),
    "digit-7-angled.jpg": ("7", photo_styles.angled, 7),
}

#: Strokes of a few digits in a unit box (x right, y down), as lists of points.
STROKES = {
    "1": [[(0.35, 0.22), (0.55, 0.05), (0.55, 0.95)]],
    "4": [[(0.62, 0.95), (0.62, 0.05), (0.12, 0.68), (0.88, 0.68)]],
    "6": [
        [(0.72, 0.05), (0.50, 0.18), (0.32, 0.40), (0.22, 0.65), (0.28, 0.88), (0.48, 0.96)]
        + [(0.68, 0.86), (0.72, 0.68), (0.56, 0.54), (0.36, 0.58), (0.25, 0.70)]
    ],
    "7": [[(0.12, 0.08), (0.88, 0.08), (0.58, 0.50), (0.40, 0.95)], [(0.35, 0.52), (0.78, 0.50)]],
}


def wobble(points, rng: np.random.Generator, amount: float = 0.015) -> np.ndarray:
    """Return the points with a little hand tremor, as float coordinates."""
    array = np.asarray(points, dtype=float)
    return array + rng.normal(0.0, amount, size=array.shape)


def draw_strokes(
    canvas: np.ndarray,
    digit: str,
    box: tuple[int, int, int, int],
    colour,
    thickness: int,
    rng: np.random.Generator,
) -> None:
    """Draw ``digit`` from STROKES into ``box`` = (left, top, width, height) of ``canvas``."""
    left, top, width, height = box
    for stroke in STROKES[digit]:
        points = wobble(stroke, rng) * [width, height] + [left, top]
        # Smooth the polyline a little by adding midpoints, as a pen would round corners.
        cv2.polylines(
            canvas, [np.round(points).astype(np.int32)], False, colour, thickness, cv2.LINE_AA
        )


def draw_text(
    canvas: np.ndarray, digit: str, origin: tuple[int, int], scale: float, colour, thickness: int
) -> None:
    """Write ``digit`` in OpenCV's handwriting-like script font; origin is bottom-left."""
    font = cv2.FONT_HERSHEY_SCRIPT_SIMPLEX
    cv2.putText(canvas, digit, origin, font, scale, colour, thickness, cv2.LINE_AA)


def script_digit(digit: str) -> np.ndarray:
    """The digit in the script font, white on black, as the photo styles take a digit."""
    canvas = np.zeros((280, 280), np.uint8)
    draw_text(canvas, digit, (45, 250), 8.0, 255, 22)
    return canvas


def paint_7() -> np.ndarray:
    """Black marker on a white 480 x 360 canvas, off to the right: a paint-program drawing."""
    rng = np.random.default_rng(7)
    canvas = np.full((360, 480, 3), 255, np.uint8)
    draw_strokes(canvas, "7", (230, 60, 170, 250), (20, 20, 20), 22, rng)
    return canvas


def transparent_3() -> np.ndarray:
    """Blue ink on a transparent layer (BGRA), in the upper left corner."""
    layer = np.zeros((300, 300, 4), np.uint8)  # fully transparent black
    draw_text(layer, "3", (20, 170), 5.0, (180, 60, 10, 255), 14)
    return layer


def small_6_28x28() -> np.ndarray:
    """A small dark "6" in the top left corner of a white 28 x 28 canvas.

    This is the picture the classic exercise asks for: draw a digit in a paint
    program on a 28 x 28 canvas. Few people fill the canvas or centre the digit.
    """
    big = np.zeros((280, 280), np.uint8)
    draw_strokes(big, "6", (40, 20, 200, 240), 255, 24, np.random.default_rng(6))
    x, y, width, height = cv2.boundingRect(big)
    scale = 12 / max(width, height)
    size = (round(width * scale), round(height * scale))
    small = cv2.resize(big[y : y + height, x : x + width], size, interpolation=cv2.INTER_AREA)
    ink = np.zeros((28, 28), np.uint8)
    ink[2 : 2 + size[1], 2 : 2 + size[0]] = small
    return 255 - ink


def marker_5() -> np.ndarray:
    """A small JPEG: red felt-tip on white, slightly rotated."""
    canvas = np.full((120, 110, 3), 255, np.uint8)
    draw_text(canvas, "5", (12, 100), 2.9, (30, 30, 200), 7)
    turn = cv2.getRotationMatrix2D((55, 60), -8, 1.0)
    return cv2.warpAffine(canvas, turn, (110, 120), borderValue=(255, 255, 255))


def thin_1() -> np.ndarray:
    """A tall thin "1" drawn with a 3-pixel pencil on a large grey-white canvas."""
    rng = np.random.default_rng(1)
    canvas = np.full((900, 1200), 245, np.uint8)
    draw_strokes(canvas, "1", (520, 150, 180, 600), 60, 3, rng)
    return canvas


def pencil_0() -> np.ndarray:
    """A thin grey pencil "0" on a big white canvas (strokes must survive shrinking)."""
    canvas = np.full((1000, 1400, 3), 255, np.uint8)
    cv2.ellipse(canvas, (650, 480), (150, 260), 8, 0, 360, (110, 110, 110), 4, cv2.LINE_AA)
    return canvas


def script_9() -> np.ndarray:
    """Dark green ink on pale yellow paper, small and low on the canvas."""
    canvas = np.full((400, 400, 3), (200, 245, 250), np.uint8)
    draw_text(canvas, "9", (150, 360), 4.0, (40, 90, 20), 12)
    return canvas


def photo_4() -> np.ndarray:
    """A "photo" of a 4 on paper: lighting gradient, noise, blur; stored sideways, so that
    EXIF orientation 6 (turn 90 degrees clockwise to view) turns it upright."""
    rng = np.random.default_rng(4)
    height, width = 800, 600
    paper = np.full((height, width, 3), (205, 222, 232), np.float32)  # warm off-white (BGR)
    rows, columns = np.mgrid[0:height, 0:width]
    light = 0.55 + 0.45 * (columns / width * 0.6 + (1 - rows / height) * 0.4)
    ink = np.full((height, width, 3), 255, np.uint8)
    draw_strokes(ink, "4", (170, 200, 260, 380), (0, 0, 0), 16, rng)
    ink_amount = 1 - ink[..., :1].astype(np.float32) / 255
    pen = np.array([70, 40, 30], np.float32)  # dark blue ballpoint
    picture = (paper * (1 - ink_amount) + pen * ink_amount) * light[..., None]
    picture += rng.normal(0, 7, picture.shape)
    picture = cv2.GaussianBlur(np.clip(picture, 0, 255).astype(np.uint8), (5, 5), 0)
    return np.rot90(picture, 1)  # 90 degrees anticlockwise


def photo_8() -> np.ndarray:
    """A phone-style photo of an 8: the sheet does not fill the frame (dark table at the edges)."""
    rng = np.random.default_rng(8)
    height, width = 640, 480
    picture = np.full((height, width, 3), (40, 60, 90), np.float32)  # brown table (BGR)
    sheet = np.array([[60, 40], [455, 25], [470, 620], [45, 635]], np.int32)
    cv2.fillConvexPoly(picture, sheet, (215, 225, 230), cv2.LINE_AA)
    draw_text(picture, "8", (150, 430), 6.0, (60, 50, 45), 13)
    rows = np.mgrid[0:height, 0:width][0]
    picture *= (0.7 + 0.3 * rows / height)[..., None]  # light falls off towards the top
    picture += rng.normal(0, 5, picture.shape)
    return cv2.GaussianBlur(np.clip(picture, 0, 255).astype(np.uint8), (3, 3), 0)


def main(argv: list[str] | None = None) -> None:
    """Write every sample file into ``data/`` (or the folder given with ``--out``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA, help="folder to write into")
    out = parser.parse_args(argv).out
    out.mkdir(parents=True, exist_ok=True)
    pictures = {
        "digit-7-paint.png": png(paint_7()),
        "digit-3-transparent.png": png(transparent_3()),
        "digit-6-28x28.png": png(small_6_28x28()),
        "digit-5-marker.jpg": jpeg(marker_5(), 88),
        "digit-1-thin.png": png(thin_1()),
        "digit-0-pencil.png": png(pencil_0()),
        "digit-9-script.png": png(script_9()),
        "digit-8-photo-table.jpg": jpeg(photo_8(), 88),
        "digit-4-photo.jpg": jpeg(photo_4(), 88, orientation=6),
    }
    for name, (digit, style, seed) in PHONE_PHOTOS.items():
        pictures[name] = style(script_digit(digit), np.random.default_rng(seed))
    for name, raw in pictures.items():
        (out / name).write_bytes(raw)
    for path in sorted(out.glob("digit-*")):
        print(f"{path.name}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
