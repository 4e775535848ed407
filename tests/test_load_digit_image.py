"""Tests of nn_helpers.load_digit_image and plot_steps (episode 4)."""

from __future__ import annotations

from pathlib import Path

import cv2
import nn_helpers
import numpy as np
import pytest
from matplotlib.colors import Colormap
from nn_helpers import load_digit_image
from nn_helpers.images import DIGIT_STEPS
from photo_styles import jpeg, png
from project import DATA
from scipy import ndimage

# -- drawing helpers -----------------------------------------------------------


def seven(height: int = 300, width: int = 300, left: int = 80, top: int = 60, ink=255, paper=0):
    """A grey picture of a "7" (not symmetric, so turns and flips show)."""
    canvas = np.full((height, width), paper, np.uint8)
    points = np.array([[left, top], [left + 120, top], [left + 50, top + 170]], np.int32)
    cv2.polylines(canvas, [points], False, int(ink), 14, cv2.LINE_AA)
    return canvas


def write_png(path: Path, image: np.ndarray) -> Path:
    path.write_bytes(png(image))
    return path


def ink_box(image: np.ndarray, level: float = 0.1) -> tuple[int, int]:
    """Width and height of the box around the pixels above ``level``."""
    return cv2.boundingRect((image > level).astype(np.uint8))[2:]


def phone_page(rng: np.random.Generator, height: int = 600, width: int = 800) -> np.ndarray:
    """A grey photo of a blank page: light falling off across it, and sensor noise."""
    light = np.linspace(235, 150, width)[None, :] - np.linspace(0, 30, height)[:, None]
    return np.clip(light + rng.normal(0, 6, (height, width)), 0, 255).astype(np.uint8)


def blurred_scene() -> np.ndarray:
    """A colour photo of nothing in particular: large soft patches, no marks."""
    rng = np.random.default_rng(2)
    scene = cv2.resize(rng.uniform(0, 255, (6, 8, 3)), (800, 600), interpolation=cv2.INTER_CUBIC)
    return cv2.GaussianBlur(scene.clip(0, 255).astype(np.uint8), (51, 51), 0)


def specks() -> np.ndarray:
    """A photo of a blank page with four dark specks of dust, and no digit."""
    page = phone_page(np.random.default_rng(1))
    for centre in [(120, 90), (400, 300), (650, 200), (300, 500)]:
        cv2.circle(page, centre, 2, 40, -1)
    return page


# -- bad input -------------------------------------------------------------------

#: File name, its bytes (None: no file; "folder": a folder), and the error's pattern.
BAD_FILES = {
    "missing": ("nothing-here.png", None, r"nothing-here\.png: no such file"),
    "folder": ("pictures", "folder", r"pictures is a folder"),
    "empty": ("empty.jpg", b"", r"empty\.jpg is empty"),
    "text": ("notes.png", b"this is text, not a picture", r"notes\.png: not a picture.*PNG or"),
    "heic": (
        "IMG_0001.HEIC",
        b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64),
        r"IMG_0001\.HEIC: not a picture.*HEIC.*convert",
    ),
    "one-pixel": ("dot.png", png(np.zeros((1, 1), np.uint8)), r"dot\.png.*1 x 1 pixels"),
    "transparent": (
        "glass.png",
        png(np.zeros((100, 100, 4), np.uint8)),
        r"glass\.png: no ink",
    ),
    "empty-page-photo": (
        "page.jpg",
        jpeg(phone_page(np.random.default_rng(0)), 85),
        r"page\.jpg: no ink",
    ),
    "blurred-scene": ("scene.jpg", jpeg(blurred_scene(), 85), r"scene\.jpg: no ink found"),
    "specks-on-a-page-photo": ("specks.jpg", jpeg(specks(), 85), r"specks\.jpg: no digit.*specks"),
    **{
        f"blank-{level}-{side}": (
            f"blank-{level}.png",
            png(np.full((side, side), level, np.uint8)),
            rf"blank-{level}\.png: no ink",
        )
        for level in (0, 255, 180)
        for side in (28, 200)
    },
}


@pytest.mark.parametrize(("name", "raw", "message"), BAD_FILES.values(), ids=list(BAD_FILES))
def test_load_digit_image_refuses_bad_input_and_names_the_file(tmp_path, name, raw, message):
    path = tmp_path / name
    if raw == "folder":
        path.mkdir()
    elif raw is not None:
        path.write_bytes(raw)
    error = FileNotFoundError if raw is None else ValueError
    with pytest.raises(error, match=message):
        load_digit_image(path)


def test_load_digit_image_rejects_two_digits_side_by_side(tmp_path):
    page = phone_page(np.random.default_rng(1))
    for left, digit in ((220, "3"), (430, "7")):
        cv2.putText(page, digit, (left, 380), cv2.FONT_HERSHEY_SIMPLEX, 6, 40, 14, cv2.LINE_AA)
    path = tmp_path / "pair.jpg"
    path.write_bytes(jpeg(page, 85))
    with pytest.raises(ValueError, match=r"pair\.jpg: 2 separate marks.*one digit per picture"):
        load_digit_image(path)
    cv2.rectangle(page, (410, 150), (800, 600), 200, -1)  # cover the 7: one digit is read
    path.write_bytes(jpeg(page, 85))
    assert load_digit_image(path).shape == (1, 784)


# -- what comes out ----------------------------------------------------------------


def test_load_digit_image_returns_one_row_like_x_and_the_named_steps(tmp_path):
    folder = tmp_path / "écriture-手書き"  # a path with non-ASCII characters
    folder.mkdir()
    path = write_png(folder / "chiffre-sept-été.png", seven())
    row = load_digit_image(path)
    assert row.shape == (1, 784)
    assert row.dtype == np.float32
    assert row.min() == 0.0
    assert row.max() == pytest.approx(1.0, abs=0.02)
    same_row, steps = load_digit_image(path, return_steps=True)
    assert tuple(steps) == tuple(
        name for name in DIGIT_STEPS if name not in ("sheet", "paper and lines")
    )
    for picture in steps.values():
        assert picture.ndim == 2
        assert picture.dtype == np.uint8
    assert max(steps["20x20"].shape) == 20
    np.testing.assert_array_equal(same_row, row)
    np.testing.assert_array_equal(
        steps["centred 28x28"].reshape(1, 784).astype("float32") / 255, row
    )


def test_load_digit_image_passes_an_mnist_digit_through_unchanged(tmp_path):
    data, _ = nn_helpers.load_mnist("sample")
    digit = data.iloc[-1].to_numpy(dtype=np.uint8).reshape(28, 28)
    row = load_digit_image(write_png(tmp_path / "mnist.png", digit))
    np.testing.assert_array_equal(row, digit.reshape(1, 784).astype(np.float32) / 255)


def test_load_digit_image_keeps_the_aspect_ratio_of_a_thin_one(tmp_path):
    canvas = np.full((400, 400), 255, np.uint8)
    cv2.line(canvas, (200, 50), (200, 350), 0, 24)
    row = load_digit_image(write_png(tmp_path / "one.png", canvas))
    width, height = ink_box(row.reshape(28, 28))
    assert height >= 19  # fills the 20-pixel box in height ...
    assert width <= 4  # ... but stays thin


def test_load_digit_image_ignores_small_specks(tmp_path):
    drawing = seven(400, 400, 120, 100, ink=0, paper=255)
    expected = load_digit_image(write_png(tmp_path / "clean.png", drawing))
    for x, y in [(20, 380), (370, 330), (300, 30)]:
        cv2.circle(drawing, (x, y), 2, 0, -1)
    specked = load_digit_image(write_png(tmp_path / "specks.png", drawing))
    np.testing.assert_array_equal(specked, expected)


@pytest.mark.parametrize("path", sorted(DATA.glob("digit-*")), ids=lambda path: path.name)
def test_every_sample_digit_file_loads_with_its_ink_fitted_and_centred(path):
    image = load_digit_image(path).reshape(28, 28)
    assert max(ink_box(image)) in (19, 20, 21)
    assert (image > 0.5).sum() >= 40  # strokes as bold as MNIST's, even the thin pencil 0
    y, x = ndimage.center_of_mass(image)
    assert abs(x - 14) <= 1 and abs(y - 14) <= 1


def test_the_steps_show_the_sheet_cut_out_of_a_desk_photo_and_the_lines_removed():
    _, steps = load_digit_image(DATA / "digit-3-sticky-note.jpg", return_steps=True)
    assert "sheet" in steps
    assert steps["sheet"].shape[0] < steps["grey"].shape[0] / 2  # the note, not the desk
    _, steps = load_digit_image(DATA / "digit-5-squared.jpg", return_steps=True)
    assert "sheet" not in steps  # the paper fills the photo
    assert "paper and lines" in steps


# -- plot_steps ------------------------------------------------------------------


def test_plot_steps_draws_each_step_titled_with_its_name_white_ink_on_black(tmp_path):
    _, steps = load_digit_image(write_png(tmp_path / "seven.png", seven()), return_steps=True)
    axes = nn_helpers.plot_steps(steps)
    assert [axis.get_title().split("\n")[0] for axis in axes] == list(steps)
    for axis in axes:
        image = axis.get_images()[0]
        colours = image.get_cmap()
        assert isinstance(colours, Colormap) and colours.name == "gray"
        assert image.get_clim() == (0, 255)
