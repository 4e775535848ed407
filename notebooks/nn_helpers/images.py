"""Turn a picture of a handwritten digit into an MNIST-style row (episode 4).

Moved here unchanged from the old single-file helper; episode 4's rework
trims it (see issue 10).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from .data import PIXEL_COLUMNS

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
