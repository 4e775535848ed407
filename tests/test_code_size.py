"""The lesson's code stays small enough to read in an afternoon: the helper package that
learners import, and the scripts and tests that maintain the lesson."""

from __future__ import annotations

from pathlib import Path

import pytest
from project import NOTEBOOKS, ROOT

#: Where the Python files are, the most lines they may hold together, and in any one file.
LIMITS = {
    "the helper package (notebooks/nn_helpers)": ([NOTEBOOKS / "nn_helpers"], 900, 350),
    "the tools and tests (tools/, tests/)": ([ROOT / "tools", ROOT / "tests"], 4000, 350),
}


def python_lines(folders: list[Path]) -> dict[str, int]:
    """Lines of every Python file in ``folders`` and below, by path from the lesson's top."""
    return {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for folder in folders
        for path in sorted(folder.rglob("*.py"))
    }


@pytest.mark.parametrize("part", LIMITS)
def test_code_stays_within_its_line_limits(part):
    folders, most_in_all, most_in_one = LIMITS[part]
    sizes = python_lines(folders)
    assert sizes, f"{part}: no Python files found"
    total = sum(sizes.values())
    assert total <= most_in_all, f"{part}: {total} lines, more than {most_in_all}"
    too_long = {path: lines for path, lines in sizes.items() if lines > most_in_one}
    assert not too_long, f"{part}: files over {most_in_one} lines: {too_long}"
