"""The figures in fig/ are exactly what tools/make_figures.py draws."""

from pathlib import Path

import make_figures
import pytest

FIG = Path(__file__).resolve().parent.parent / "fig"
NAMES = ["perceptron.svg", "multilayer_perceptron.svg", "kfold.svg"]


@pytest.fixture(scope="module")
def redrawn(tmp_path_factory) -> Path:
    """Draw every figure once into a temporary folder."""
    out = tmp_path_factory.mktemp("fig")
    make_figures.main(["--out", str(out)])
    return out


def test_committed_figures_match_a_fresh_drawing_byte_for_byte(redrawn):
    differ = [
        path.name
        for path in sorted(redrawn.iterdir())
        if not (FIG / path.name).is_file() or (FIG / path.name).read_bytes() != path.read_bytes()
    ]
    assert not differ, (
        f"fig/ differs from what tools/make_figures.py draws for {differ}; "
        "run python tools/make_figures.py and commit the result"
    )


def test_make_figures_draws_the_figures_the_episodes_use(redrawn):
    assert set(NAMES) <= {path.name for path in redrawn.iterdir()}


@pytest.mark.parametrize("name", NAMES)
def test_figures_carry_no_date(redrawn, name):
    assert b"<dc:date>" not in (redrawn / name).read_bytes()


def test_kfold_split_tests_every_item_exactly_once():
    tested = [item for items in make_figures.KFOLD_TEST_ITEMS.values() for item in items]
    assert sorted(tested) == list(range(1, make_figures.KFOLD_ITEMS + 1))
