"""Running a cell again is safe. Learners press Shift+Enter twice, or Run All a second time,
in the same kernel; either way every cell must print what it printed the first time
(timings aside, as nbval's sanitizer masks them).

Each episode runs in one fresh kernel: every code cell twice in a row, then the whole
notebook once more. Outputs are compared as nbval compares them (text and tables; not
pictures, not widget ids), exactly: the same process on the same CPU repeats its arithmetic.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from nbclient import NotebookClient
from nbval.plugin import coalesce_streams, get_sanitize_patterns
from nbval_tolerance import comparable_texts
from project import KERNELSPEC, NOTEBOOKS, ROOT, episode_notebooks

EPISODES = episode_notebooks()

#: What nbval leaves out of a comparison: bookkeeping, pictures, widget ids.
NOT_COMPARED = (
    "metadata",
    "traceback",
    "prompt_number",
    "output_type",
    "name",
    "execution_count",
    "application/vnd.jupyter.widget-view+json",
    "image/png",
    "image/jpeg",
)

SANITIZE = get_sanitize_patterns((ROOT / "tests" / "nbval_sanitize.cfg").read_text())


def sanitize(text: str) -> str:
    """Mask timings, addresses and the environment's folder, as nbval does."""
    for pattern, replacement in SANITIZE:
        text = re.sub(pattern, replacement, text)
    return text


def printed(cell: nbformat.NotebookNode) -> dict:
    """What a cell printed, as nbval compares it."""
    return comparable_texts(coalesce_streams(cell.outputs), NOT_COMPARED, sanitize)


@pytest.mark.parametrize("path", EPISODES, ids=[path.name for path in EPISODES])
def test_every_cell_prints_the_same_when_run_twice_and_after_a_second_run_all(path):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name=KERNELSPEC["name"],
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    code = [(index, cell) for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"]
    first, changed = {}, []
    with client.setup_kernel():
        for index, cell in code:
            client.execute_cell(cell, index)
            first[index] = printed(cell)
            client.execute_cell(cell, index)
            if printed(cell) != first[index]:
                changed.append(f"cell {index}, run twice in a row: {printed(cell)!r}")
        for index, cell in code:
            client.execute_cell(cell, index)
            if printed(cell) != first[index]:
                changed.append(f"cell {index}, in a second Run All: {printed(cell)!r}")
    assert not changed, "\n".join(changed)
