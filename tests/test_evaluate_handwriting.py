"""tools/evaluate_handwriting.py: its redrawn digits, and the report episode 4 quotes."""

from __future__ import annotations

import io
import json

import evaluate_handwriting
import nn_helpers
import numpy as np
import pytest
from nn_helpers.images import prepare_digit
from PIL import Image
from project import DATA, NOTEBOOKS

REPORT = DATA / "handwriting-evaluation.md"


@pytest.fixture(scope="module")
def digits() -> np.ndarray:
    data, _ = nn_helpers.load_mnist("sample")
    return data.iloc[-30:].to_numpy(dtype=np.uint8).reshape(-1, 28, 28)


def redraw(style: str, digits: np.ndarray) -> list[bytes]:
    make, _ = evaluate_handwriting.STYLES[style]
    rng = np.random.default_rng(0)
    return [
        make(digit, rng, index) if make is evaluate_handwriting.photo else make(digit, rng)
        for index, digit in enumerate(digits)
    ]


def test_the_tool_redraws_digits_in_the_five_styles_of_the_issue():
    assert list(evaluate_handwriting.STYLES) == [
        "RGB PNG",
        "transparent PNG",
        "grey JPEG",
        "28 x 28",
        "photo",
    ]


@pytest.mark.parametrize(
    ("style", "format", "modes"),
    [
        ("RGB PNG", "PNG", {"RGB"}),
        ("transparent PNG", "PNG", {"RGBA"}),
        ("grey JPEG", "JPEG", {"L"}),
        ("28 x 28", "PNG", {"L"}),
        ("photo", "JPEG", {"L"}),
    ],
)
def test_each_style_saves_the_kind_of_file_it_names(digits, style, format, modes):
    for raw in redraw(style, digits[:6]):
        with Image.open(io.BytesIO(raw)) as picture:
            assert picture.format == format
            assert picture.mode in modes
            if style == "28 x 28":
                assert picture.size == (28, 28)


@pytest.mark.parametrize("style", list(evaluate_handwriting.STYLES))
def test_redrawn_digits_come_back_close_to_the_raw_digits(digits, style):
    differences = [
        np.abs(prepare_digit(raw).reshape(28, 28) - digit / 255).mean()
        for raw, digit in zip(redraw(style, digits), digits, strict=True)
    ]
    # The old preparation (black-and-white strokes, 28 x 28 pictures left as they
    # were) was about 0.065 off on average; the raw digits' own pixels average 0.13.
    assert np.mean(differences) < 0.04


def test_episode_4_quotes_the_committed_report_unchanged():
    _, made_by, table, changed = REPORT.read_text(encoding="utf-8").strip().split("\n\n")
    assert made_by.startswith("Made by `python tools/evaluate_handwriting.py`")
    assert len(table.splitlines()) == 2 + 1 + len(evaluate_handwriting.STYLES) + 1
    notebook = json.loads((NOTEBOOKS / "04-prediction.ipynb").read_text(encoding="utf-8"))
    markdown = "\n".join(
        "".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown"
    )
    assert table in markdown
    assert " ".join(changed.split()) in " ".join(markdown.split())
    assert "tools/evaluate_handwriting.py" in markdown
