"""Prepare a picture of a handwritten digit like MNIST's: white ink on black, fitted
into 20 x 20 and centred by mass in 28 x 28 (episode 4). Files and the drawing pad
both go through :func:`prepare_digit`."""

from __future__ import annotations

import io
import os
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps

#: The steps ``return_steps=True`` can give, in order: "sheet" only where a sheet or note was
#: cut out, "paper and lines" only for photos; an MNIST-like picture skips the middle ones.
DIGIT_STEPS = ("grey", "sheet", "ink on black", "paper and lines", "cleaned", "cropped")
DIGIT_STEPS += ("20x20", "centred 28x28")

#: MNIST fits the ink into a box this many pixels wide and puts its centre of mass here.
BOX, MIDDLE = 20, 14

#: Smallest picture side (pixels) that can hold a digit; larger sides shrink to WORKING_SIDE.
MIN_SIDE, WORKING_SIDE = 8, 1200

#: An MNIST stroke is about this fraction of the digit's longer side wide.
MNIST_STROKE = 0.11

Prepared = np.ndarray | tuple[np.ndarray, dict[str, np.ndarray]]


def load_digit_image(path: str | os.PathLike, return_steps: bool = False) -> Prepared:
    """Read a picture file (PNG, JPEG, ...) of one handwritten digit; prepare it like MNIST.

    Returns one row like a row of ``X``: shape (1, 784), float32 from 0 (paper) to 1
    (ink); with ``return_steps``, also the picture after each step (2-D uint8, named as
    in :data:`DIGIT_STEPS`) for :func:`plot_steps`. Raises FileNotFoundError if there is
    no file at ``path``, ValueError for a folder, an empty file, or as :func:`prepare_digit`.

    >>> digit = load_digit_image("../data/digit-7-paint.png")  # doctest: +SKIP
    """
    path = Path(path)
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
    return prepare_digit(raw, str(path), return_steps)


def prepare_digit(raw: bytes, name: str = "the picture", return_steps: bool = False) -> Prepared:
    """Prepare the picture in ``raw``, an image file's bytes, like an MNIST digit.

    The picture is turned upright (EXIF), transparent parts become paper, a sheet or
    note lying on a darker surface is cut out and straightened, the ink is made white
    on black, the paper and its printed lines removed, and the ink cropped, fitted into
    20 x 20 and centred by mass in 28 x 28, unless the picture is already like that.
    ``name`` names the picture in errors; the rest is as for :func:`load_digit_image`.
    Raises ValueError if ``raw`` is not a picture, is too small, or shows no digit or two.
    """
    try:
        with Image.open(io.BytesIO(raw)) as opened:
            opened.draft("L", (WORKING_SIDE, WORKING_SIDE))  # a large JPEG decodes smaller
            picture = ImageOps.exif_transpose(opened).convert("LA")
    except (OSError, ValueError) as error:
        raise ValueError(
            f"{name}: not a picture that can be read ({type(error).__name__}); save the "
            "digit as a PNG or JPEG file (phones' HEIC photos need converting first)"
        ) from None
    if min(picture.size) < MIN_SIDE:
        raise ValueError(
            f"{name}: the image is only {picture.width} x {picture.height} pixels; draw the "
            f"digit on a canvas at least {MIN_SIDE} x {MIN_SIDE} pixels (28 x 28 or larger)"
        )
    picture.thumbnail((WORKING_SIDE, WORKING_SIDE), Image.Resampling.BOX)  # keeps it fast
    steps = {"grey": on_paper(picture)}
    if (sheet := find_sheet(steps["grey"])) is not None:
        steps["sheet"] = sheet
    steps["ink on black"] = ink_on_black(steps.get("sheet", steps["grey"]))
    if not is_mnist_like(steps["ink on black"]):
        steps.update(clean(steps["ink on black"].astype(np.float32), name))
        strong = steps["cleaned"] > steps["cleaned"].max() // 4
        x, y, width, height = cv2.boundingRect(strong.astype(np.uint8))
        steps["cropped"] = thicken(steps["cleaned"][y : y + height, x : x + width])
        height, width = steps["cropped"].shape
        scale = BOX / max(width, height)
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        shrink = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
        steps["20x20"] = cv2.resize(steps["cropped"], size, interpolation=shrink)
    small = steps.get("20x20", steps["ink on black"])
    moments = cv2.moments(small)
    shift_x = np.clip(round(MIDDLE - moments["m10"] / moments["m00"]), 0, 28 - small.shape[1])
    shift_y = np.clip(round(MIDDLE - moments["m01"] / moments["m00"]), 0, 28 - small.shape[0])
    move = np.float32([[1, 0, shift_x], [0, 1, shift_y]])
    steps["centred 28x28"] = cv2.warpAffine(small, move, (28, 28))
    row = steps["centred 28x28"].astype(np.float32).reshape(1, 784) / 255
    return (row, steps) if return_steps else row


def on_paper(picture: Image.Image) -> np.ndarray:
    """Return the grey picture, transparent parts on white paper (black for light ink)."""
    grey, alpha = picture.split()
    opaque = np.asarray(grey)[np.asarray(alpha) > 127]
    light_ink = opaque.size > 0 and np.percentile(opaque, 5) > 127
    paper = Image.new("L", picture.size, 0 if light_ink else 255)
    return np.asarray(Image.composite(grey, paper, alpha)).copy()


def find_sheet(grey: np.ndarray) -> np.ndarray | None:
    """Cut out a sheet or note lying on a darker surface, straightened; None if there is none.

    The sheet is the largest bright region (Otsu's threshold on a small blurred copy): it
    must be mostly bright, hold darker marks, and lie on a surface much darker than itself.
    Its four corners (or its tightest rectangle) are mapped onto an upright rectangle.
    """
    scale = 200 / max(grey.shape)
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    _, bright = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if min(grey.shape) < 100 or not contours:  # a small drawing is no photo of a sheet
        return None
    hull = cv2.convexHull(max(contours, key=cv2.contourArea))
    inside = cv2.fillPoly(np.zeros_like(bright), [hull], 255) > 0
    paper, marks = np.percentile(small[inside], [50, 1])
    if not 0.05 < inside.mean() < 0.95 or np.mean(bright[inside] > 0) < 0.75 or marks > 0.7 * paper:
        return None
    if np.mean(small[~inside] == small[~inside].min()) > 0.5:  # a drawing's flat canvas
        return None
    if np.median(small[~inside]) > 0.6 * paper:  # uneven light, not a surface around a sheet
        return None
    corners = cv2.approxPolyDP(hull, 0.03 * cv2.arcLength(hull, True), True)[:, 0]
    if len(corners) != 4:
        corners = cv2.boxPoints(cv2.minAreaRect(hull))
    total, difference = corners.sum(axis=1), np.diff(corners, axis=1)[:, 0]
    order = [total.argmin(), difference.argmin(), total.argmax(), difference.argmax()]
    corners = np.float32(corners[order]) / scale  # top left, top right, bottom right, ...
    sides = np.linalg.norm(corners - np.roll(corners, -1, axis=0), axis=1)
    width, height = round(max(sides[0], sides[2])), round(max(sides[1], sides[3]))
    upright = cv2.getPerspectiveTransform(
        corners, np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    )
    sheet = cv2.warpPerspective(grey, upright, (width, height), borderMode=cv2.BORDER_REPLICATE)
    inset = max(width, height) // 25  # the sheet's edge and shadow
    return sheet[inset : height - inset, inset : width - inset]


def ink_on_black(grey: np.ndarray) -> np.ndarray:
    """Return the picture with its ink light on a dark background (the median), inverting it
    if its darkest pixels lie further below the background than its lightest lie above."""
    background = float(np.median(grey))
    darkest, lightest = np.percentile(grey, [0.05, 99.95])
    return 255 - grey if background - darkest > lightest - background else grey


def is_mnist_like(ink: np.ndarray) -> bool:
    """Whether the picture is 28 x 28, black, and its ink fitted into 20 x 20 and centred."""
    if ink.shape != (28, 28) or np.median(ink) > 10 or ink.max() < 128:
        return False
    _, _, width, height = cv2.boundingRect((ink > 32).astype(np.uint8))
    moments = cv2.moments(ink)
    centre = np.array([moments["m10"], moments["m01"]]) / moments["m00"]
    return abs(max(width, height) - BOX) <= 1 and bool(np.all(np.abs(centre - MIDDLE) <= 1))


def paper_and_lines(ink: np.ndarray) -> np.ndarray:
    """Estimate the paper under the ink (ink light on dark), with its ruled or grid lines.

    The paper is what a morphological opening with a large square leaves. A line is
    long, straight and thin, unlike a digit's strokes: it survives an opening with a
    kernel 2/5 of the picture long, and an opening with a small square removes it. The
    opening finds a line's faintest stretch, so a little more than that is taken away.
    """
    side = max(3, min(ink.shape) // 3) | 1
    paper = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((side, side), np.uint8))
    lines = np.zeros_like(ink)
    for height, width in ((1, ink.shape[1] * 2 // 5), (ink.shape[0] * 2 // 5, 1)):
        along = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((height, width), np.uint8))
        thin = along - cv2.morphologyEx(along, cv2.MORPH_OPEN, np.ones((9, 9), np.uint8))
        lines = np.maximum(lines, np.minimum(1.25 * thin, ink - paper))
    return paper + lines


def clean(ink: np.ndarray, name: str) -> dict[str, np.ndarray]:
    """Return the ink alone as uint8 ("cleaned"), and for a photo the "paper and lines" removed.

    Even paper is subtracted; uneven paper or lined paper (a photo) is divided out pixel
    by pixel, which evens out the ink too, and specks and shapes at the edge are dropped.
    Raises ValueError if no ink stands out from the paper's noise, if a photo's ink is
    only specks, or if the ink forms two marks side by side (two digits).
    """
    paper = paper_and_lines(ink)
    photo = float(np.ptp(np.percentile(paper, [2, 98]))) > 16 and min(ink.shape) >= 64
    if not photo:
        paper = np.full_like(ink, np.median(paper))
    strokes = (ink - paper) * 255 / np.maximum(255 - paper, 64)
    if photo:
        strokes = cv2.GaussianBlur(strokes, (3, 3), 0)  # tames a photo's noise
    rank = strokes.size // 10000  # ignore a few hot pixels in a large picture
    strongest = np.partition(strokes, -1 - rank, axis=None)[-1 - rank]
    noise = 1.4826 * np.median(np.abs(strokes - np.median(strokes)))
    if strongest < (max(40, 10 * noise) if photo else 40):
        raise ValueError(
            f"{name}: no ink found; the picture looks blank (only paper and its grain). "
            "Draw the digit in a colour that differs clearly from the paper"
        )
    strokes = np.clip(strokes * 255 / strongest, 0, 255).astype(np.uint8)
    otsu, _ = cv2.threshold(strokes, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = (strokes > (otsu / 2 if photo else 25)).astype(np.uint8)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    areas, (left, top, width, height) = stats[1:, 4], stats[1:, :4].T
    inside = (left > 0) & (top > 0) & (left + width < mask.shape[1])
    inside &= top + height < mask.shape[0]
    if not (photo and inside.any()):  # in a photo, drop the table and the sheet's edge
        inside[:] = True
    keep = inside & (areas >= max(2, 0.05 * areas[inside].max()))
    if photo and areas[keep].max() < mask.size / 5000:  # the digit went with a line or an edge
        raise ValueError(f"{name}: no digit found, only specks; write it away from lines and edges")
    cleaned = np.where(np.isin(labels, np.flatnonzero(keep) + 1), strokes, 0).astype(np.uint8)
    check_one_mark(cleaned, name)
    steps = {"paper and lines": np.clip(paper, 0, 255).astype(np.uint8)} if photo else {}
    return steps | {"cleaned": cleaned}


def check_one_mark(ink: np.ndarray, name: str) -> None:
    """Raise ValueError if the ink forms separate marks side by side, such as two digits.

    Columns of ink split where a gap wider than a quarter of the ink's height runs down
    the picture; a part is a mark if it holds a fifth of the ink and half its height.
    """
    rows, columns = np.nonzero(ink)
    tall = np.ptp(rows) + 1
    used = np.unique(columns)
    part = np.searchsorted(used[1:][np.diff(used) > tall / 4], columns, side="right")
    marks = sum(
        np.mean(part == n) >= 0.2 and np.ptp(rows[part == n]) >= tall / 2 for n in set(part)
    )
    if marks > 1:
        raise ValueError(f"{name}: {marks} separate marks side by side; show one digit per picture")


def thicken(ink: np.ndarray) -> np.ndarray:
    """Widen strokes much thinner than MNIST's, such as a pencil line on a large canvas."""
    mask = (ink > 0).astype(np.uint8)
    contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    stroke = 2 * mask.sum() / max(sum(cv2.arcLength(c, True) for c in contours), 1.0)
    if stroke >= 0.5 * MNIST_STROKE * max(ink.shape):
        return ink
    radius = int(np.ceil((MNIST_STROKE * max(ink.shape) - stroke) / 2))
    padded = cv2.copyMakeBorder(ink, radius, radius, radius, radius, cv2.BORDER_CONSTANT)
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
    return cv2.dilate(padded, disc)
