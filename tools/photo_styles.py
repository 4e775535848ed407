"""How a learner's picture of a digit may look: one home for the drawing and photo effects.

``tools/evaluate_handwriting.py`` redraws MNIST test digits in every style of
:data:`STYLES`, and ``tools/make_sample_digits.py`` draws the sample pictures with
the same functions. A style takes a digit (a 2-D uint8 array, 0 paper and 255 ink,
of any size) and a NumPy random generator, and returns the bytes of a picture file.
Every choice (sizes, colours, line spacing, angles, light, noise, JPEG quality) is
drawn from the generator, so no style is tuned to one fixed picture.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import cv2
import numpy as np
from PIL import ExifTags, Image

#: The np.rot90 turns that make the stored picture for each value of the EXIF tag
#: "Orientation" (3: upside down; 6 and 8: sideways, as phones store photos).
ORIENTATIONS = {3: 2, 6: 1, 8: 3}

#: Interpolations a paint program might use to enlarge a small picture.
ENLARGE = [cv2.INTER_NEAREST, cv2.INTER_LINEAR, cv2.INTER_CUBIC]

#: Sticky-note colours (BGR): yellow, pink, green, orange, blue.
NOTES = [(120, 230, 250), (200, 170, 250), (170, 240, 190), (80, 180, 250), (240, 215, 170)]


def png(picture: np.ndarray) -> bytes:
    """PNG bytes of a grey, BGR or BGRA picture."""
    return cv2.imencode(".png", np.clip(np.round(picture), 0, 255).astype(np.uint8))[1].tobytes()


def jpeg(picture: np.ndarray, quality: int, orientation: int | None = None) -> bytes:
    """JPEG bytes of a grey or BGR picture, with an EXIF orientation tag if given."""
    picture = np.clip(np.round(picture), 0, 255).astype(np.uint8)
    if picture.ndim == 3:
        picture = cv2.cvtColor(picture, cv2.COLOR_BGR2RGB)
    exif = Image.Exif()
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    buffer = io.BytesIO()
    Image.fromarray(picture).save(buffer, format="JPEG", quality=quality, exif=exif)
    return buffer.getvalue()


def enlarged(digit: np.ndarray, rng: np.random.Generator, sizes, margins) -> np.ndarray:
    """Return the ink amount (0-1) of the digit enlarged and placed at random on a canvas."""
    size = int(rng.integers(*sizes))
    interpolation = ENLARGE[int(rng.integers(len(ENLARGE)))]
    ink = np.clip(cv2.resize(digit, (size, size), interpolation=interpolation) / 255, 0, 1)
    height, width = size + int(rng.integers(*margins)), size + int(rng.integers(*margins))
    top, left = int(rng.integers(0, height - size + 1)), int(rng.integers(0, width - size + 1))
    amount = np.zeros((height, width), np.float32)
    amount[top : top + size, left : left + size] = ink
    return amount


def thinner(amount: np.ndarray, rng: np.random.Generator, most: float) -> np.ndarray:
    """Make strokes thinner by a random amount, as a pen finer than MNIST's would draw them."""
    level = rng.uniform(0, most)
    return np.clip((amount - level) / (1 - level), 0, 1)


def inked(paper: np.ndarray, amount: np.ndarray, pen) -> np.ndarray:
    """Lay ink of colour ``pen`` (BGR) on a BGR ``paper``, ``amount`` (0-1) of it per pixel."""
    amount = amount[..., None]
    return paper * (1 - amount) + np.asarray(pen, np.float32) * amount


def light(shape, rng: np.random.Generator, strength: float, vignette: float = 0.0):
    """Light falling off in a random direction by ``strength``, darker corners by ``vignette``."""
    rows, columns = np.indices(shape[:2], dtype=np.float32)
    rows, columns = rows / shape[0] - 0.5, columns / shape[1] - 0.5
    angle = rng.uniform(0, 2 * np.pi)
    slope = np.cos(angle) * columns + np.sin(angle) * rows
    falling = 1 - strength * (slope - slope.min()) / max(float(np.ptp(slope)), 1e-6)
    return (falling * (1 - vignette * 2 * (rows**2 + columns**2)))[..., None]


def photographed(picture, rng: np.random.Generator, noise=(3, 8), blur: int = 3):
    """Add sensor noise and a slight blur (``blur`` pixels wide), as a phone camera does;
    returns uint8, and a one-channel picture as 2-D."""
    picture = picture + rng.normal(0, rng.uniform(*noise), picture.shape[:2])[..., None]
    picture = np.clip(picture, 0, 255).astype(np.uint8)
    return cv2.GaussianBlur(picture, (blur, blur), 0)


def lined(paper, rng: np.random.Generator, spacing: float, colour, vertical: bool = False):
    """Draw rules ``spacing`` pixels apart across the paper, and columns too if ``vertical``."""
    height, width = paper.shape[:2]
    thickness = int(rng.integers(1, 3)) + (spacing > 60)
    offset = rng.uniform(0, spacing)
    for y in np.arange(offset, height, spacing):
        cv2.line(paper, (0, round(y)), (width, round(y)), colour, thickness, cv2.LINE_AA)
    for x in np.arange(offset, width, spacing) if vertical else []:
        cv2.line(paper, (round(x), 0), (round(x), height), colour, thickness, cv2.LINE_AA)
    return paper


def white_paper(shape, rng: np.random.Generator) -> np.ndarray:
    """A sheet of white or slightly warm paper (BGR, float32)."""
    paper = np.empty((*shape[:2], 3), np.float32)
    paper[:] = rng.uniform([205, 220, 228], [245, 250, 255])
    return paper


def ruled_paper(amount, rng: np.random.Generator, size: int) -> np.ndarray:
    """Notebook paper: light-blue rules (the digit spans one to three), often a red margin."""
    paper = white_paper(amount.shape, rng)
    blue = rng.uniform([200, 150, 110], [240, 200, 180])
    lined(paper, rng, size / rng.uniform(1.0, 3.0), blue)
    if rng.random() < 0.7:
        x = round(rng.uniform(0.03, 0.2) * amount.shape[1])
        red = rng.uniform([80, 80, 190], [160, 150, 240])
        cv2.line(paper, (x, 0), (x, amount.shape[0]), red, int(rng.integers(1, 4)), cv2.LINE_AA)
    return paper


def desk(shape, rng: np.random.Generator) -> np.ndarray:
    """A dark desk (BGR, float32): brown wood with grain, grey, black or dark blue."""
    colour = [(35, 60, 100), (60, 60, 60), (25, 25, 30), (80, 45, 30)][int(rng.integers(4))]
    colour = np.asarray(colour) * rng.uniform(0.6, 1.5)
    patches = cv2.resize(rng.normal(1, 0.12, (6, 8)), shape[1::-1], interpolation=cv2.INTER_CUBIC)
    grain = 1 + 0.08 * np.sin(np.arange(shape[0]) / rng.uniform(3, 12) + rng.normal(0, 1))
    return (colour * (patches * grain[:, None])[..., None]).astype(np.float32)


def ruled(digit: np.ndarray, rng: np.random.Generator) -> bytes:
    """Blue ballpoint on ruled notebook paper, under uneven light (JPEG)."""
    amount = thinner(enlarged(digit, rng, sizes=(90, 301), margins=(100, 600)), rng, 0.6)
    paper = ruled_paper(amount, rng, size=int(np.ptp(np.nonzero(amount)[0])))
    pen = rng.uniform([110, 20, 10], [190, 90, 70])
    picture = inked(paper, amount, pen) * light(amount.shape, rng, rng.uniform(0.1, 0.45))
    return jpeg(photographed(picture, rng), quality=int(rng.integers(70, 96)))


def squared(digit: np.ndarray, rng: np.random.Generator) -> bytes:
    """Light pencil on squared paper (a grid of grey, blue or green lines) (JPEG)."""
    amount = thinner(enlarged(digit, rng, sizes=(90, 301), margins=(100, 600)), rng, 0.6)
    amount *= rng.uniform(0.45, 0.9) * rng.uniform(0.75, 1.0, amount.shape)  # grainy graphite
    paper = white_paper(amount.shape, rng)
    grid = [rng.uniform(150, 215, 3), rng.uniform([190, 150, 110], [235, 200, 170])]
    size = int(np.ptp(np.nonzero(amount)[0]))
    lined(paper, rng, size / rng.uniform(2.0, 6.0), grid[int(rng.integers(2))], vertical=True)
    picture = inked(paper, amount, rng.uniform(40, 110, 3)) * light(amount.shape, rng, 0.3)
    return jpeg(photographed(picture, rng), quality=int(rng.integers(70, 96)))


def sticky_note(digit: np.ndarray, rng: np.random.Generator) -> bytes:
    """Black marker on a sticky note, turned and lying on a dark desk (JPEG)."""
    amount = enlarged(digit, rng, sizes=(80, 241), margins=(30, 120))
    amount = cv2.dilate(amount, np.ones((3, 3)), iterations=int(rng.integers(0, 3)))
    side = max(amount.shape)
    amount = cv2.copyMakeBorder(amount, 0, side - amount.shape[0], 0, side - amount.shape[1], 0)
    colour = np.asarray(NOTES[int(rng.integers(len(NOTES)))]) * rng.uniform(0.9, 1.02)
    note = inked(np.broadcast_to(colour, (side, side, 3)), amount, rng.uniform(15, 50, 3))
    height, width = (np.array([side, side]) * rng.uniform(1.5, 2.8, 2)).astype(int)
    turn = cv2.getRotationMatrix2D((side / 2, side / 2), rng.uniform(-35, 35), 1.0)
    turn[:, 2] += [rng.uniform(0.1, 0.9) * (width - side), rng.uniform(0.1, 0.9) * (height - side)]
    mask = cv2.warpAffine(np.ones((side, side), np.float32), turn, (width, height))
    shadow = cv2.GaussianBlur(np.roll(mask, (6, 6), (0, 1)), (31, 31), 0)[..., None]
    table, mask = desk((height, width), rng) * (1 - 0.5 * shadow), mask[..., None]
    picture = table * (1 - mask) + cv2.warpAffine(note, turn, (width, height)) * mask
    picture *= light(picture.shape, rng, rng.uniform(0.1, 0.4), rng.uniform(0, 0.4))
    return jpeg(photographed(picture, rng), quality=int(rng.integers(70, 96)))


def angled(digit: np.ndarray, rng: np.random.Generator) -> bytes:
    """A sheet photographed at an angle: perspective, dark background, vignette (JPEG)."""
    amount = thinner(enlarged(digit, rng, sizes=(90, 241), margins=(150, 500)), rng, 0.5)
    paper = ruled_paper(amount, rng, 150) if rng.random() < 0.5 else white_paper(amount.shape, rng)
    sheet = inked(paper, amount, rng.uniform(10, 90, 3))
    height, width = amount.shape
    border = rng.uniform(0.08, 0.3, 2) * [width, height]
    corners = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    pulled = corners + border + rng.uniform(-0.18, 0.18, (4, 2)) * [width, height]
    size = (round(width + 2 * border[0]), round(height + 2 * border[1]))
    warp = cv2.getPerspectiveTransform(corners, pulled.astype(np.float32))
    mask = cv2.warpPerspective(np.ones((height, width), np.float32), warp, size)[..., None]
    picture = desk(size[::-1], rng) * (1 - mask) + cv2.warpPerspective(sheet, warp, size) * mask
    picture *= light(picture.shape, rng, rng.uniform(0.1, 0.35), rng.uniform(0.2, 0.6))
    return jpeg(photographed(picture, rng), quality=int(rng.integers(70, 96)))


def phone(digit: np.ndarray, rng: np.random.Generator) -> bytes:
    """A full-size 3000 x 4000 phone photo of a page, stored sideways with EXIF orientation 6.

    The page is drawn at half size and enlarged, as a phone's processing smooths its photos.
    """
    size = int(rng.uniform(0.12, 0.18) * 1500)
    amount = np.zeros((2000, 1500), np.float32)
    top, left = int(rng.integers(200, 1800 - size)), int(rng.integers(150, 1350 - size))
    amount[top : top + size, left : left + size] = thinner(
        enlarged(digit, rng, sizes=(size, size + 1), margins=(0, 1)), rng, 0.5
    )
    paper = ruled_paper(amount, rng, size) if rng.random() < 0.5 else white_paper(amount.shape, rng)
    picture = inked(paper, amount, rng.uniform(10, 120, 3))
    picture *= light(amount.shape, rng, rng.uniform(0.1, 0.4), rng.uniform(0, 0.3))
    picture = cv2.resize(photographed(picture, rng, noise=(2, 5)), (3000, 4000))
    return jpeg(np.rot90(picture, ORIENTATIONS[6]), int(rng.integers(80, 93)), orientation=6)


def rgb_png(digit: np.ndarray, rng: np.random.Generator) -> bytes:
    """Dark ink of a random colour on a light canvas (PNG, 3 channels)."""
    amount = enlarged(digit, rng, sizes=(80, 401), margins=(0, 300))
    paper, pen = rng.uniform(215, 255, size=3), rng.uniform(0, 110, size=3)
    return png(inked(np.broadcast_to(paper, (*amount.shape, 3)), amount, pen))


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
    digit = cv2.resize(digit, (28, 28), interpolation=cv2.INTER_AREA)
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


def grey_photo(digit: np.ndarray, rng: np.random.Generator) -> bytes:
    """Grey paper lit unevenly, photographed: noise, blur, JPEG, a third of them turned (EXIF)."""
    amount = enlarged(digit, rng, sizes=(100, 351), margins=(150, 500))
    paper, pen = rng.uniform(150, 230), rng.uniform(10, 70)
    picture = (paper * (1 - amount) + pen * amount)[..., None] * light(amount.shape, rng, 0.35)
    picture = photographed(picture, rng, noise=(6, 6), blur=5)
    orientation = int(rng.choice([1, 3, 6, 8, 1, 1]))
    picture = np.rot90(picture, ORIENTATIONS.get(orientation, 0))
    return jpeg(picture, quality=int(rng.integers(70, 96)), orientation=orientation)


#: Style name -> (function making the file's bytes from a digit, file suffix). The first
#: five are drawings and plain photos, the last five photos as learners take them.
STYLES: dict[str, tuple[Callable[[np.ndarray, np.random.Generator], bytes], str]] = {
    "RGB PNG": (rgb_png, ".png"),
    "transparent PNG": (transparent_png, ".png"),
    "grey JPEG": (grey_jpeg, ".jpg"),
    "28 x 28": (mnist_28, ".png"),
    "photo": (grey_photo, ".jpg"),
    "ruled paper, ballpoint": (ruled, ".jpg"),
    "squared paper, pencil": (squared, ".jpg"),
    "sticky note on a desk": (sticky_note, ".jpg"),
    "angled sheet": (angled, ".jpg"),
    "phone photo, 3000 x 4000": (phone, ".jpg"),
}
