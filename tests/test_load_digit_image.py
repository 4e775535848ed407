"""Tests of nn_helpers.load_digit_image, prepare_digit and plot_steps (episode 4)."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import cv2
import nn_helpers
import numpy as np
import pytest
from matplotlib.colors import Colormap
from nn_helpers import load_digit_image
from nn_helpers.images import DIGIT_STEPS, prepare_digit
from PIL import Image
from project import DATA

# -- drawing helpers -----------------------------------------------------------


def seven(height: int = 300, width: int = 300, left: int = 80, top: int = 60, ink=255, paper=0):
    """A grey picture of a "7" (not symmetric, so turns and flips show)."""
    canvas = np.full((height, width), paper, np.uint8)
    points = np.array([[left, top], [left + 120, top], [left + 50, top + 170]], np.int32)
    cv2.polylines(canvas, [points], False, int(ink), 14, cv2.LINE_AA)
    return canvas


def write_png(path: Path, image: np.ndarray) -> Path:
    ok, encoded = cv2.imencode(".png", image)
    assert ok
    path.write_bytes(encoded.tobytes())
    return path


def pixels(row: np.ndarray) -> np.ndarray:
    return np.asarray(row).reshape(28, 28)


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    rows, columns = np.indices(image.shape)
    total = image.sum()
    return float((columns * image).sum() / total), float((rows * image).sum() / total)


def ink_box(image: np.ndarray, level: float = 0.1) -> tuple[int, int]:
    """Width and height of the box around the pixels above ``level``."""
    columns = np.flatnonzero(image.max(axis=0) > level)
    rows = np.flatnonzero(image.max(axis=1) > level)
    return int(np.ptp(columns)) + 1, int(np.ptp(rows)) + 1


def mnist_digits(count: int) -> np.ndarray:
    data, _ = nn_helpers.load_mnist("sample")
    return data.iloc[-count:].to_numpy(dtype=np.uint8).reshape(-1, 28, 28)


# -- bad input -------------------------------------------------------------------


def test_load_digit_image_names_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing-here.png"):
        load_digit_image(tmp_path / "nothing-here.png")


def test_load_digit_image_rejects_a_folder(tmp_path):
    with pytest.raises(ValueError, match="is a folder"):
        load_digit_image(tmp_path)


def test_load_digit_image_rejects_an_empty_file(tmp_path):
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    with pytest.raises(ValueError, match=r"empty\.jpg is empty"):
        load_digit_image(path)


def test_load_digit_image_rejects_a_file_that_is_not_an_image(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("this is text, not a picture")
    with pytest.raises(ValueError, match=r"notes\.png: not a picture.*PNG or JPEG"):
        load_digit_image(path)


def test_load_digit_image_says_a_heic_photo_needs_converting(tmp_path):
    path = tmp_path / "IMG_0001.HEIC"
    path.write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64))
    with pytest.raises(ValueError, match=r"IMG_0001\.HEIC: not a picture.*HEIC.*convert"):
        load_digit_image(path)


def test_load_digit_image_rejects_a_one_pixel_image(tmp_path):
    path = write_png(tmp_path / "dot.png", np.zeros((1, 1), np.uint8))
    with pytest.raises(ValueError, match=r"dot\.png.*1 x 1 pixels"):
        load_digit_image(path)


@pytest.mark.parametrize("level", [0, 255, 180])
@pytest.mark.parametrize("side", [28, 200])
def test_load_digit_image_rejects_a_picture_without_ink(tmp_path, level, side):
    path = write_png(tmp_path / f"blank-{level}.png", np.full((side, side), level, np.uint8))
    with pytest.raises(ValueError, match=rf"blank-{level}\.png: no ink"):
        load_digit_image(path)


def phone_page(rng: np.random.Generator, height: int = 600, width: int = 800) -> np.ndarray:
    """A grey photo of a blank page: light falling off across it, and sensor noise."""
    light = np.linspace(235, 150, width)[None, :] - np.linspace(0, 30, height)[:, None]
    return np.clip(light + rng.normal(0, 6, (height, width)), 0, 255).astype(np.uint8)


def test_load_digit_image_rejects_a_photo_of_an_empty_page(tmp_path):
    path = tmp_path / "page.jpg"
    Image.fromarray(phone_page(np.random.default_rng(0))).save(path, quality=85)
    with pytest.raises(ValueError, match=r"page\.jpg: no ink found"):
        load_digit_image(path)


def test_load_digit_image_rejects_two_digits_side_by_side(tmp_path):
    page = phone_page(np.random.default_rng(1))
    for left, digit in ((220, "3"), (430, "7")):
        cv2.putText(page, digit, (left, 380), cv2.FONT_HERSHEY_SIMPLEX, 6, 40, 14, cv2.LINE_AA)
    path = tmp_path / "pair.jpg"
    Image.fromarray(page).save(path, quality=85)
    with pytest.raises(ValueError, match=r"pair\.jpg: 2 separate marks.*one digit per picture"):
        load_digit_image(path)
    cv2.rectangle(page, (410, 150), (800, 600), 200, -1)  # cover the 7: one digit is read
    Image.fromarray(page).save(path, quality=85)
    assert load_digit_image(path).shape == (1, 784)


def test_load_digit_image_rejects_a_blurred_colour_scene(tmp_path):
    rng = np.random.default_rng(2)
    scene = cv2.resize(rng.uniform(0, 255, (6, 8, 3)), (800, 600), interpolation=cv2.INTER_CUBIC)
    path = tmp_path / "scene.jpg"
    Image.fromarray(cv2.GaussianBlur(scene.clip(0, 255).astype(np.uint8), (51, 51), 0)).save(path)
    with pytest.raises(ValueError, match=r"scene\.jpg: no ink found"):
        load_digit_image(path)


def test_load_digit_image_rejects_a_fully_transparent_picture(tmp_path):
    path = write_png(tmp_path / "glass.png", np.zeros((100, 100, 4), np.uint8))
    with pytest.raises(ValueError, match=r"glass\.png: no ink"):
        load_digit_image(path)


# -- what comes out ----------------------------------------------------------------


def test_load_digit_image_returns_one_row_like_x_float32_from_0_to_1(tmp_path):
    row = load_digit_image(write_png(tmp_path / "seven.png", seven()))
    assert isinstance(row, np.ndarray)
    assert row.shape == (1, 784)
    assert row.dtype == np.float32
    assert row.min() == 0.0
    assert row.max() == pytest.approx(1.0, abs=0.02)


def test_load_digit_image_returns_the_named_steps_as_2d_uint8_pictures(tmp_path):
    row, steps = load_digit_image(write_png(tmp_path / "seven.png", seven()), return_steps=True)
    assert tuple(steps) == tuple(
        name for name in DIGIT_STEPS if name not in ("sheet", "paper and lines")
    )
    for picture in steps.values():
        assert picture.ndim == 2
        assert picture.dtype == np.uint8
    assert max(steps["20x20"].shape) == 20
    np.testing.assert_array_equal(
        steps["centred 28x28"].reshape(1, 784).astype("float32") / 255, row
    )


def test_prepare_digit_gives_the_same_row_as_the_file_it_reads(tmp_path):
    path = write_png(tmp_path / "seven.png", seven())
    np.testing.assert_array_equal(prepare_digit(path.read_bytes()), load_digit_image(path))


def test_load_digit_image_centres_the_ink_by_mass_on_mnist_middle_pixel(tmp_path):
    corner = load_digit_image(write_png(tmp_path / "corner.png", seven(400, 500, 10, 10)))
    other = load_digit_image(write_png(tmp_path / "other.png", seven(400, 500, 360, 220)))
    for row in (corner, other):
        x, y = centre_of_mass(pixels(row))
        assert abs(x - 14) <= 0.5 and abs(y - 14) <= 0.5
    assert np.abs(corner - other).max() < 0.05


@pytest.mark.parametrize(("ink", "paper"), [(0, 255), (255, 0)], ids=["dark-on-white", "light"])
def test_a_small_off_centre_digit_on_a_28_by_28_canvas_is_fitted_and_centred(tmp_path, ink, paper):
    big = np.zeros((110, 110), np.uint8)
    cv2.putText(big, "2", (5, 100), cv2.FONT_HERSHEY_SIMPLEX, 4.0, 255, 10, cv2.LINE_AA)
    small = cv2.resize(big, (11, 11), interpolation=cv2.INTER_AREA)
    canvas = np.full((28, 28), paper, np.uint8)
    canvas[1:12, 2:13] = np.where(ink == 255, small, 255 - small)
    row = load_digit_image(write_png(tmp_path / "small-2.png", canvas))
    x, y = centre_of_mass(pixels(row))
    assert abs(x - 14) <= 1.5 and abs(y - 14) <= 1.5
    assert 15 <= max(ink_box(pixels(row))) <= 21


def test_load_digit_image_passes_an_mnist_digit_through_unchanged(tmp_path):
    digit = mnist_digits(1)[0]
    row = load_digit_image(write_png(tmp_path / "mnist.png", digit))
    np.testing.assert_array_equal(row, digit.reshape(1, 784).astype(np.float32) / 255)


def test_load_digit_image_keeps_the_aspect_ratio_of_a_thin_one(tmp_path):
    canvas = np.full((400, 400), 255, np.uint8)
    cv2.line(canvas, (200, 50), (200, 350), 0, 24)
    width, height = ink_box(pixels(load_digit_image(write_png(tmp_path / "one.png", canvas))))
    assert height >= 19  # fills the 20-pixel box in height ...
    assert width <= 4  # ... but stays thin


def test_load_digit_image_applies_the_exif_orientation_of_a_photo(tmp_path):
    upright = cv2.cvtColor(seven(ink=0, paper=255), cv2.COLOR_GRAY2RGB)
    expected = load_digit_image(write_png(tmp_path / "upright.png", upright[..., 0]))
    stored = np.ascontiguousarray(np.rot90(upright, 1))  # phone held sideways
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90 degrees clockwise to view"
    Image.fromarray(stored).save(buffer, format="JPEG", quality=95, exif=exif)
    path = tmp_path / "photo.jpg"
    path.write_bytes(buffer.getvalue())
    assert np.abs(load_digit_image(path) - expected).mean() < 0.03
    sideways = load_digit_image(write_png(tmp_path / "sideways.png", stored[..., 0]))
    assert np.abs(sideways - expected).mean() > 0.05  # the tag mattered


def test_load_digit_image_reads_a_path_with_non_ascii_characters(tmp_path):
    folder = tmp_path / "écriture-手書き"
    folder.mkdir()
    path = write_png(folder / "chiffre-sept-été.png", seven())
    plain = write_png(tmp_path / "plain.png", seven())
    np.testing.assert_array_equal(load_digit_image(path), load_digit_image(plain))


def test_load_digit_image_keeps_thin_strokes_on_a_large_canvas(tmp_path):
    canvas = np.full((1200, 1600), 255, np.uint8)
    cv2.ellipse(canvas, (800, 600), (120, 220), 0, 0, 360, 0, 2, cv2.LINE_AA)
    image = pixels(load_digit_image(write_png(tmp_path / "pencil.png", canvas)))
    assert (image > 0.5).sum() >= 40  # an MNIST 0 has roughly 100 such pixels


def test_load_digit_image_ignores_small_specks(tmp_path):
    drawing = seven(400, 400, 120, 100, ink=0, paper=255)
    expected = load_digit_image(write_png(tmp_path / "clean.png", drawing))
    for x, y in [(20, 380), (370, 330), (300, 30)]:
        cv2.circle(drawing, (x, y), 2, 0, -1)
    specked = load_digit_image(write_png(tmp_path / "specks.png", drawing))
    np.testing.assert_array_equal(specked, expected)


def test_load_digit_image_output_predicts_without_a_warning(tmp_path):
    from sklearn.neural_network import MLPClassifier

    data, labels = nn_helpers.load_mnist("sample")
    model = MLPClassifier(hidden_layer_sizes=(10,), max_iter=3, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a 3-iteration fit does not converge
        model.fit(data.iloc[:300].to_numpy(dtype="float32") / 255, labels.iloc[:300])
    row = load_digit_image(write_png(tmp_path / "seven.png", seven()))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert model.predict(row)[0] in nn_helpers.CLASS_NAMES


@pytest.mark.parametrize("path", sorted(DATA.glob("digit-*")), ids=lambda path: path.name)
def test_every_sample_digit_file_loads_with_its_ink_fitted_and_centred(path):
    image = pixels(load_digit_image(path))
    assert max(ink_box(image)) in (19, 20, 21)
    x, y = centre_of_mass(image)
    assert abs(x - 14) <= 1 and abs(y - 14) <= 1


# -- plot_steps ------------------------------------------------------------------


def test_plot_steps_draws_one_axes_per_step_titled_with_its_name(tmp_path):
    _, steps = load_digit_image(write_png(tmp_path / "seven.png", seven()), return_steps=True)
    axes = nn_helpers.plot_steps(steps)
    assert len(axes) == len(steps)
    assert [axis.get_title().split("\n")[0] for axis in axes] == list(steps)


def test_plot_steps_shows_values_as_they_are_white_ink_on_black(tmp_path):
    _, steps = load_digit_image(write_png(tmp_path / "seven.png", seven()), return_steps=True)
    for axis in nn_helpers.plot_steps(steps):
        image = axis.get_images()[0]
        colours = image.get_cmap()
        assert isinstance(colours, Colormap) and colours.name == "gray"
        assert image.get_clim() == (0, 255)


def test_the_steps_show_the_sheet_cut_out_of_a_desk_photo_and_the_lines_removed():
    _, steps = load_digit_image(DATA / "digit-3-sticky-note.jpg", return_steps=True)
    assert "sheet" in steps
    assert steps["sheet"].shape[0] < steps["grey"].shape[0] / 2  # the note, not the desk
    _, steps = load_digit_image(DATA / "digit-5-squared.jpg", return_steps=True)
    assert "sheet" not in steps  # the paper fills the photo
    assert "paper and lines" in steps
