"""The figures in fig/ are exactly what tools/make_figures.py draws: nothing stale, nothing
missing, and byte for byte the same (no date, ids from a fixed salt)."""

import make_figures
from project import FIG


def test_committed_figures_match_a_fresh_drawing_byte_for_byte(tmp_path):
    make_figures.main(["--out", str(tmp_path)])
    drawn = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    committed = {path.name: path.read_bytes() for path in FIG.iterdir()}
    differ = sorted(
        name for name in drawn.keys() | committed.keys() if drawn.get(name) != committed.get(name)
    )
    assert not differ, (
        f"fig/ differs from what tools/make_figures.py draws for {differ}; "
        "run python tools/make_figures.py and commit the result"
    )
