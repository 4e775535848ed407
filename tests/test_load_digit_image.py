"""Tests of nn_helpers.load_digit_image and plot_steps (episode 4)."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import cv2
import matplotlib.pyplot as plt
import nn_helpers
import numpy as np
import pandas as pd
import pytest
from nn_helpers import load_digit_image
from PIL import Image

DATA = Path(__file__).resolve().parent.parent / "data"


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


def pixels(row: pd.DataFrame) -> np.ndarray:
    return row.to_numpy().reshape(28, 28)


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    rows, columns = np.indices(image.shape)
    total = image.sum()
    return float((columns * image).sum() / total), float((rows * image).sum() / total)


# -- bad input -------------------------------------------------------------------


def test_load_digit_image_names_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing-here.png"):
        load_digit_image(tmp_path / "nothing-here.png")


def test_load_digit_image_rejects_a_file_that_is_not_an_image(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("this is text, not a picture")
    with pytest.raises(ValueError, match=r"notes\.png.*PNG or JPEG"):
        load_digit_image(path)


def test_load_digit_image_rejects_an_empty_file(tmp_path):
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    with pytest.raises(ValueError, match=r"empty\.jpg is empty"):
        load_digit_image(path)


def test_load_digit_image_rejects_a_one_pixel_image(tmp_path):
    path = write_png(tmp_path / "dot.png", np.zeros((1, 1), np.uint8))
    with pytest.raises(ValueError, match=r"dot\.png.*1 x 1 pixels"):
        load_digit_image(path)


@pytest.mark.parametrize("level", [0, 255, 180])
def test_load_digit_image_rejects_a_picture_without_ink(tmp_path, level):
    path = write_png(tmp_path / f"blank-{level}.png", np.full((200, 150), level, np.uint8))
    with pytest.raises(ValueError, match=rf"blank-{level}\.png: no ink"):
        load_digit_image(path)


def test_load_digit_image_rejects_a_blank_28_by_28_picture(tmp_path):
    path = write_png(tmp_path / "black.png", np.zeros((28, 28), np.uint8))
    with pytest.raises(ValueError, match=r"black\.png: no ink"):
        load_digit_image(path)


@pytest.mark.parametrize(
    ("brand", "name"), [(b"heic", "HEIC"), (b"mif1", "HEIC"), (b"avif", "AVIF")]
)
def test_load_digit_image_explains_heic_and_avif_files(tmp_path, brand, name):
    path = tmp_path / "IMG_0001.HEIC"
    path.write_bytes(b"\x00\x00\x00\x18ftyp" + brand + b"\x00\x00\x00\x00mif1heic" + bytes(64))
    with pytest.raises(ValueError, match=rf"IMG_0001\.HEIC is an? {name}.*PNG or JPEG"):
        load_digit_image(path)


def test_load_digit_image_rejects_a_folder(tmp_path):
    with pytest.raises(ValueError, match="folder"):
        load_digit_image(tmp_path)


# -- what comes out ----------------------------------------------------------------


def test_load_digit_image_returns_one_mnist_row_of_float32_between_0_and_1(tmp_path):
    row = load_digit_image(write_png(tmp_path / "seven.png", seven()))
    assert row.shape == (1, 784)
    assert list(row.columns) == nn_helpers.PIXEL_COLUMNS
    assert (row.dtypes == np.float32).all()
    assert row.to_numpy().min() >= 0.0
    assert row.to_numpy().max() == pytest.approx(1.0, abs=0.02)


def test_load_digit_image_returns_the_named_steps_as_2d_uint8_pictures(tmp_path):
    _, steps = load_digit_image(write_png(tmp_path / "seven.png", seven()), return_steps=True)
    assert tuple(steps) == nn_helpers.DIGIT_STEPS
    for picture in steps.values():
        assert picture.ndim == 2
        assert picture.dtype == np.uint8
    assert steps["centred 28x28"].shape == (28, 28)
    assert max(steps["20x20"].shape) == 20


def test_load_digit_image_inverts_dark_ink_on_light_paper(tmp_path):
    light_on_dark = load_digit_image(write_png(tmp_path / "a.png", seven(ink=255, paper=0)))
    dark_on_light = load_digit_image(write_png(tmp_path / "b.png", seven(ink=0, paper=255)))
    assert pixels(dark_on_light)[0, 0] == 0.0  # paper became black
    assert np.abs(pixels(dark_on_light) - pixels(light_on_dark)).max() < 0.05


def test_load_digit_image_treats_transparent_pixels_as_paper(tmp_path):
    drawing = seven(ink=255, paper=0)
    layer = np.zeros((*drawing.shape, 4), np.uint8)  # transparent black everywhere
    layer[..., 3] = drawing  # black ink, opaque only where drawn
    from_alpha = load_digit_image(write_png(tmp_path / "layer.png", layer))
    on_paper = load_digit_image(write_png(tmp_path / "paper.png", 255 - drawing))
    assert np.abs(pixels(from_alpha) - pixels(on_paper)).max() < 0.05


def test_load_digit_image_centres_by_centre_of_mass(tmp_path):
    corner = load_digit_image(write_png(tmp_path / "corner.png", seven(400, 500, 10, 10)))
    other = load_digit_image(write_png(tmp_path / "other.png", seven(400, 500, 360, 220)))
    for row in (corner, other):
        x, y = centre_of_mass(pixels(row))
        assert abs(x - 13.5) <= 1.0 and abs(y - 13.5) <= 1.0
    assert np.abs(pixels(corner) - pixels(other)).max() < 0.05


def test_load_digit_image_keeps_the_aspect_ratio_of_a_thin_one(tmp_path):
    canvas = np.full((400, 400), 255, np.uint8)
    cv2.line(canvas, (200, 50), (200, 350), 0, 24)
    image = pixels(load_digit_image(write_png(tmp_path / "one.png", canvas)))
    columns = np.flatnonzero(image.max(axis=0) > 0.1)
    rows = np.flatnonzero(image.max(axis=1) > 0.1)
    assert np.ptp(rows) + 1 >= 19  # fills the 20-pixel box in height ...
    assert np.ptp(columns) + 1 <= 4  # ... but stays thin


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
    turned = load_digit_image(path)
    assert np.abs(pixels(turned) - pixels(expected)).mean() < 0.03
    sideways = load_digit_image(write_png(tmp_path / "sideways.png", stored[..., 0]))
    assert np.abs(pixels(sideways) - pixels(expected)).mean() > 0.05  # the tag mattered


def test_load_digit_image_reads_a_path_with_non_ascii_characters(tmp_path):
    folder = tmp_path / "écriture-手書き"
    folder.mkdir()
    path = write_png(folder / "chiffre-sept-été.png", seven())
    plain = write_png(tmp_path / "plain.png", seven())
    assert np.array_equal(load_digit_image(path), load_digit_image(plain))


def test_load_digit_image_passes_an_mnist_format_picture_through_unchanged(tmp_path):
    data, _ = nn_helpers.load_mnist("sample")
    digit = data.iloc[0].to_numpy().reshape(28, 28)
    row = load_digit_image(write_png(tmp_path / "mnist.png", digit))
    np.testing.assert_allclose(row.to_numpy().ravel(), data.iloc[0].to_numpy() / 255, atol=1e-7)


def test_load_digit_image_keeps_thin_strokes_on_a_large_canvas(tmp_path):
    canvas = np.full((1200, 1600), 255, np.uint8)
    cv2.ellipse(canvas, (800, 600), (120, 220), 0, 0, 360, 0, 2, cv2.LINE_AA)
    image = pixels(load_digit_image(write_png(tmp_path / "pencil.png", canvas)))
    assert (image > 0.5).sum() >= 40  # an MNIST 0 has roughly 100 such pixels


def test_load_digit_image_removes_uneven_lighting(tmp_path):
    clean = seven(400, 400, 120, 100, ink=40, paper=230).astype(np.float32)
    rows = np.indices(clean.shape)[0]
    shaded = clean * (0.45 + 0.55 * rows / rows.max())  # dark top, bright bottom
    expected = load_digit_image(write_png(tmp_path / "clean.png", clean.astype(np.uint8)))
    photo = load_digit_image(write_png(tmp_path / "shaded.png", shaded.astype(np.uint8)))
    assert np.abs(pixels(photo) - pixels(expected)).mean() < 0.03


def test_load_digit_image_ignores_small_specks(tmp_path):
    drawing = seven(400, 400, 120, 100, ink=0, paper=255)
    expected = load_digit_image(write_png(tmp_path / "clean.png", drawing))
    for x, y in [(20, 380), (370, 330), (300, 30)]:
        cv2.circle(drawing, (x, y), 2, 0, -1)
    specked = load_digit_image(write_png(tmp_path / "specks.png", drawing))
    assert np.array_equal(specked, expected)


def test_load_digit_image_output_predicts_without_feature_name_warning(tmp_path):
    from sklearn.neural_network import MLPClassifier

    data, labels = nn_helpers.load_mnist("sample")
    model = MLPClassifier(hidden_layer_sizes=(10,), max_iter=3, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a 3-iteration fit does not converge
        model.fit(data.iloc[:300].astype("float32") / 255, labels.iloc[:300])
    row = load_digit_image(write_png(tmp_path / "seven.png", seven()))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert model.predict(row)[0] in nn_helpers.CLASS_NAMES


def test_every_sample_digit_file_loads():
    files = sorted(DATA.glob("digit-*"))
    assert 6 <= len(files) <= 10
    for path in files:
        row = load_digit_image(path)
        assert row.shape == (1, 784), path.name


# -- plot_steps ------------------------------------------------------------------


def test_plot_steps_draws_one_axes_per_step(tmp_path):
    _, steps = load_digit_image(write_png(tmp_path / "seven.png", seven()), return_steps=True)
    axes = nn_helpers.plot_steps(steps)
    assert len(axes) == len(steps)
    assert [axis.get_title().split("\n")[0] for axis in axes] == list(steps)
    plt.close("all")


def test_plot_steps_rejects_an_empty_dict():
    with pytest.raises(ValueError, match="non-empty dict"):
        nn_helpers.plot_steps({})


def test_plot_steps_rejects_the_wrong_number_of_axes():
    _, axes = plt.subplots(1, 2)
    with pytest.raises(ValueError, match="2 Axes for 1 steps"):
        nn_helpers.plot_steps({"only": np.zeros((28, 28), np.uint8)}, ax=axes)
    plt.close("all")
