"""tools/photo_styles.py and tools/evaluate_handwriting.py: the redrawn digits, and the report."""

from __future__ import annotations

import io
import json

import evaluate_handwriting
import nn_helpers
import numpy as np
import pytest
from nn_helpers.images import prepare_digit
from photo_styles import STYLES
from PIL import ExifTags, Image
from project import DATA, NOTEBOOKS
from sklearn.dummy import DummyClassifier

REPORT = DATA / "handwriting-evaluation.md"

#: The first five styles are drawings and plain photos, which the loader reads almost
#: as well as the raw digits; phone photos of paper lose a little more.
DRAWINGS = list(STYLES)[:5]


@pytest.fixture(scope="module")
def digits() -> np.ndarray:
    data, _ = nn_helpers.load_mnist("sample")
    return data.iloc[-30:].to_numpy(dtype=np.uint8).reshape(-1, 28, 28)


def redraw(style: str, digits: np.ndarray) -> list[bytes]:
    make, _ = STYLES[style]
    rng = np.random.default_rng(0)
    return [make(digit, rng) for digit in digits]


@pytest.mark.parametrize("style", list(STYLES))
def test_redrawn_digits_are_files_of_their_kind_and_come_back_close_to_the_raw_digits(
    digits, style
):
    chosen = digits[:5] if "3000" in style else digits
    files = redraw(style, chosen)
    with Image.open(io.BytesIO(files[0])) as picture:
        assert picture.format == {".png": "PNG", ".jpg": "JPEG"}[STYLES[style][1]]
        if "3000" in style:  # a phone's photo, stored sideways
            assert picture.size == (4000, 3000)
            assert picture.getexif()[ExifTags.Base.Orientation] == 6
    differences = [
        np.abs(prepare_digit(raw).reshape(28, 28) - digit / 255).mean()
        for raw, digit in zip(files, chosen, strict=True)
    ]
    # Drawings come back about 0.025 off on average, photos of paper 0.03 to 0.055; the
    # raw digits' own pixels average 0.13, and a preparation that misses the digit on a
    # sticky note or squared paper is 0.1 or more off.
    assert np.mean(differences) < (0.035 if style in DRAWINGS else 0.065)


def test_episode_4_quotes_the_committed_report_unchanged():
    _, made_by, table, changed = REPORT.read_text(encoding="utf-8").strip().split("\n\n")
    assert made_by.startswith("Made by `python tools/evaluate_handwriting.py`")
    assert [line.split(" | ")[0] for line in table.splitlines()[3:-1]] == [
        f"| {style}" for style in STYLES
    ]
    notebook = json.loads((NOTEBOOKS / "04-prediction.ipynb").read_text(encoding="utf-8"))
    markdown = "\n".join(
        "".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown"
    )
    assert table in markdown
    assert " ".join(changed.split()) in " ".join(markdown.split())
    assert "tools/evaluate_handwriting.py" in markdown


def test_a_refused_picture_counts_as_wrong(tmp_path, digits):
    always_3 = DummyClassifier(strategy="constant", constant="3").fit(np.zeros((1, 784)), ["3"])
    blank = np.zeros((3, 28, 28), np.uint8)  # no ink: the loader refuses every picture
    predicted = evaluate_handwriting.read_back(always_3, blank, "grey JPEG", 0, tmp_path)
    assert list(predicted) == ["refused"] * 3
