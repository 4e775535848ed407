"""Turn a picture of a handwritten digit into an MNIST-style row (episode 4).

MNIST's digits are white ink on black, fitted into a 20 x 20 box and centred
by centre of mass in 28 x 28 pixels. :func:`prepare_digit` does the same to
any picture: files through :func:`load_digit_image`, and the drawing pad.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps

#: Names of the pictures ``load_digit_image(..., return_steps=True)`` returns, in order.
#: A picture that is already MNIST-like skips "cropped" and "20x20".
DIGIT_STEPS = ("grey", "ink on black", "cleaned", "cropped", "20x20", "centred 28x28")

#: MNIST's digits: ink fitted to a box of this side, centre of mass at this pixel.
BOX, MIDDLE = 20, 14

#: Smallest image side (pixels) that can hold a recognisable digit.
MIN_SIDE = 8

#: Typical stroke width of an MNIST digit as a fraction of its longer side;
#: strokes thinner than half of it are thickened.
MNIST_STROKE = 0.11


def load_digit_image(
    path: str | os.PathLike, return_steps: bool = False
) -> np.ndarray | tuple[np.ndarray, dict[str, np.ndarray]]:
    """Read a picture of one handwritten digit and prepare it like an MNIST digit.

    Parameters
    ----------
    path : str or path-like
        A PNG or JPEG file (other formats Pillow reads also work): a drawing,
        with or without transparency, or a photo of a digit on paper.
    return_steps : bool, default False
        Also return the picture after each step, for :func:`plot_steps`.

    Returns
    -------
    numpy.ndarray
        Shape (1, 784), float32 from 0 (paper) to 1 (ink): one row like ``X``.
    dict of str to numpy.ndarray, only if ``return_steps`` is True
        The pictures after each step (2-D uint8), named as in :data:`DIGIT_STEPS`.

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    ValueError
        If ``path`` is a folder or an empty file, or as :func:`prepare_digit`.

    Examples
    --------
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


def prepare_digit(
    raw: bytes, name: str = "the picture", return_steps: bool = False
) -> np.ndarray | tuple[np.ndarray, dict[str, np.ndarray]]:
    """Prepare the picture in an image file's bytes (PNG, JPEG, ...) like an MNIST digit.

    The picture is turned upright (EXIF), transparent pixels become paper, the
    ink is made white on black, paper is removed (photos: uneven light and
    specks too), and the ink is cropped, fitted to 20 x 20 and centred by mass
    in 28 x 28. A 28 x 28 picture that is already like that is kept as it is.

    Parameters
    ----------
    raw : bytes
        The contents of an image file.
    name : str
        What to call the picture in error messages, such as its file name.
    return_steps : bool, default False
        Also return the picture after each step.

    Returns
    -------
    numpy.ndarray, and a dict of steps if ``return_steps``
        As :func:`load_digit_image`.

    Raises
    ------
    ValueError
        If the bytes are not a picture, or it is too small or shows no ink.
    """
    try:
        with Image.open(io.BytesIO(raw)) as opened:
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
    steps = {"grey": on_paper(picture)}
    ink = ink_on_black(steps["grey"]).astype(np.float32)
    steps["ink on black"] = ink.round().astype(np.uint8)
    if ink.shape == (28, 28) and is_mnist_like(ink):
        steps["centred 28x28"] = steps["ink on black"]
    else:
        steps["cleaned"] = clean(ink, name)
        x, y, width, height = cv2.boundingRect((steps["cleaned"] > 64).astype(np.uint8))
        steps["cropped"] = thicken(steps["cleaned"][y : y + height, x : x + width])
        steps["20x20"] = fit_box(steps["cropped"], BOX)
        steps["centred 28x28"] = centre_by_mass(steps["20x20"], 28)
    row = steps["centred 28x28"].astype(np.float32).reshape(1, 784) / 255
    return (row, steps) if return_steps else row


def on_paper(picture: Image.Image) -> np.ndarray:
    """Return the grey picture (uint8) with transparent pixels turned into paper.

    The paper is white, or black where the only ink is light (white on a
    transparent layer).
    """
    grey, alpha = (np.asarray(band) for band in picture.split())
    if alpha.min() == 255:
        return grey.copy()
    opaque = grey[alpha > 127]
    paper = 0 if opaque.size and np.percentile(opaque, 5) > 127 else 255
    return np.asarray(
        Image.composite(
            picture.getchannel("L"), Image.new("L", picture.size, paper), picture.getchannel("A")
        )
    )


def ink_on_black(grey: np.ndarray) -> np.ndarray:
    """Return the picture with its ink light on a dark background.

    The background is what most of the picture shows (its median); if the
    darkest pixels lie further below it than the lightest lie above it, the ink
    is dark on light paper and the picture is inverted.
    """
    background = float(np.median(grey))
    darkest, lightest = np.percentile(grey, [0.05, 99.95])
    return 255 - grey if background - darkest > lightest - background else grey.copy()


def is_mnist_like(ink: np.ndarray) -> bool:
    """Whether a 28 x 28 picture is MNIST-like: black paper, ink fitted and centred."""
    if np.median(ink) > 10 or ink.max() < 128:
        return False
    x, y, width, height = cv2.boundingRect((ink > 32).astype(np.uint8))
    moments = cv2.moments(ink)
    centre = np.array([moments["m10"], moments["m01"]]) / moments["m00"]
    return abs(max(width, height) - BOX) <= 1 and bool(np.all(np.abs(centre - MIDDLE) <= 1))


def clean(ink: np.ndarray, name: str) -> np.ndarray:
    """Return the ink alone (uint8, strongest ink 255): no paper, shading or specks.

    Paper is what a morphological opening with a large square leaves. Flat paper
    is subtracted; uneven paper (a photo) is divided out pixel by pixel, which
    also evens out the ink's contrast, and specks and edges are then dropped.
    """
    if max(ink.shape) > 1200:  # keep large photos fast
        scale = 1200 / max(ink.shape)
        ink = cv2.resize(ink, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    side = max(3, min(ink.shape) // 3) | 1
    square = cv2.getStructuringElement(cv2.MORPH_RECT, (side, side))
    paper = cv2.morphologyEx(ink, cv2.MORPH_OPEN, square)
    photo = float(np.ptp(np.percentile(paper, [2, 98]))) > 16
    if not photo:
        paper = np.full_like(ink, np.median(paper))
    strokes = (ink - paper) * 255 / np.maximum(255 - paper, 64)
    if photo and min(ink.shape) >= 64:
        strokes = cv2.GaussianBlur(strokes, (3, 3), 0)
    strongest = np.partition(strokes.ravel(), -1 - strokes.size // 10000)[
        -1 - strokes.size // 10000
    ]
    if strongest < 40:
        raise ValueError(
            f"{name}: no ink found; the picture looks blank. Draw the digit in a colour "
            "that differs clearly from the paper"
        )
    strokes = np.clip(strokes * 255 / strongest, 0, 255).astype(np.uint8)
    threshold, _ = cv2.threshold(strokes, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = (strokes > (threshold / 2 if photo else 25)).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    areas, (left, top, width, height) = stats[1:, 4], stats[1:, :4].T
    keep = areas >= max(2, 0.05 * areas.max())
    edge = (
        (left == 0) | (top == 0) | (left + width == ink.shape[1]) | (top + height == ink.shape[0])
    )
    if photo and (keep & ~edge).any():  # ink touching the edge of a photo: table or shadow
        keep &= ~edge
    return np.where(np.isin(labels, np.flatnonzero(keep) + 1), strokes, 0).astype(np.uint8)


def thicken(cropped: np.ndarray) -> np.ndarray:
    """Thicken strokes much thinner than MNIST's (a pencil line on a large canvas)."""
    longest = max(cropped.shape)
    mask = (cropped > 0).astype(np.uint8)
    contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    stroke = 2 * mask.sum() / max(sum(cv2.arcLength(c, True) for c in contours), 1.0)
    if stroke >= 0.5 * MNIST_STROKE * longest:
        return cropped
    radius = int(np.ceil((MNIST_STROKE * longest - stroke) / 2))
    padded = cv2.copyMakeBorder(cropped, radius, radius, radius, radius, cv2.BORDER_CONSTANT)
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
    return cv2.dilate(padded, disc)


def fit_box(cropped: np.ndarray, box: int) -> np.ndarray:
    """Scale the ink so that its longer side is ``box`` pixels, keeping its shape."""
    height, width = cropped.shape
    scale = box / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    return cv2.resize(cropped, size, interpolation=interpolation)


def centre_by_mass(small: np.ndarray, side: int) -> np.ndarray:
    """Place ``small`` in a ``side`` x ``side`` picture, its centre of mass at the MNIST middle."""
    moments = cv2.moments(small)
    height, width = small.shape
    shift_x = np.clip(round(MIDDLE - moments["m10"] / moments["m00"]), 0, side - width)
    shift_y = np.clip(round(MIDDLE - moments["m01"] / moments["m00"]), 0, side - height)
    move = np.float32([[1, 0, shift_x], [0, 1, shift_y]])
    return cv2.warpAffine(small, move, (side, side))


def plot_steps(steps: dict[str, np.ndarray], ax=None):
    """Draw the pictures from ``load_digit_image(..., return_steps=True)`` in a row.

    Each picture is shown as its values are, like :func:`plot_digit`: 0 black,
    255 white.

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
        If ``steps`` is empty or ``ax`` has the wrong number of Axes.

    Examples
    --------
    >>> plot_steps(load_digit_image("../data/digit-4-photo.jpg", True)[1])  # doctest: +SKIP
    """
    import matplotlib.pyplot as plt

    if not steps:
        raise ValueError("steps is empty; pass what load_digit_image(path, True) returns")
    if ax is None:
        _, ax = plt.subplots(1, len(steps), figsize=(1.7 * len(steps), 2.0), squeeze=False)
    axes = np.ravel(np.asarray(ax, dtype=object))
    if len(axes) != len(steps):
        raise ValueError(f"got {len(axes)} Axes for {len(steps)} steps; give one per step")
    for axis, (name, picture) in zip(axes, steps.items(), strict=True):
        axis.imshow(picture, cmap="gray", vmin=0, vmax=255)
        axis.set_title(f"{name}\n{picture.shape[1]} x {picture.shape[0]}", fontsize=9)
        axis.set_xticks([])
        axis.set_yticks([])
    return axes
