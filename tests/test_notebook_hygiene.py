"""Every committed episode notebook is clean and keeps the lesson's promises: executed in
order from a fresh kernel, no errors, only warnings the lesson explains, no local paths, the
lesson's kernel, the lesson's structure, a live-coding load an instructor can type, and
episodes that agree with the schedule. (The website's tests check images, alt text and
widget state; tests/test_load_mnist.py runs episode 3's ``fetch_openml`` cell.)"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest
from project import NOTEBOOKS, ROOT, episode_notebooks, episode_timing

EPISODES = episode_notebooks()
MAX_BYTES = 1_000_000
LOCAL_PATH = re.compile(r"(/home/|/root/|/tmp/|/Users/|/work/|[A-Za-z]:\\\\)")
WARNING_ONLY = re.compile(r"^(\S*:\d+: \w+Warning: .+\n(.*\n)*?  \S.*\n)+$")

ids = [path.name for path in EPISODES]


def load(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def code_cells(notebook) -> list:
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def output_text(output) -> str:
    return output.get("text", "") + output.get("data", {}).get("text/plain", "")


def tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def live_lines(notebook) -> int:
    """Lines an instructor types: non-blank, non-comment lines of `live` cells."""
    return sum(
        1
        for cell in code_cells(notebook)
        if "live" in tags(cell)
        for line in cell["source"].splitlines()
        if line.strip() and not line.strip().startswith("#")
    )


@pytest.mark.parametrize("path", EPISODES, ids=ids)
def test_code_cells_were_executed_in_order_from_a_fresh_kernel(path):
    counts = [cell.execution_count for cell in code_cells(load(path)) if cell.source.strip()]
    assert counts == list(range(1, len(counts) + 1))


@pytest.mark.parametrize("path", EPISODES, ids=ids)
def test_no_output_is_an_error_and_stderr_only_shows_warnings(path):
    for number, cell in enumerate(code_cells(load(path)), start=1):
        for output in cell.outputs:
            assert output.output_type != "error", f"code cell {number} shows an error"
            if output.get("name") == "stderr":
                assert WARNING_ONLY.match(output_text(output)), (
                    f"code cell {number} shows stderr that is not a warning: "
                    f"{output_text(output)[:120]!r}"
                )


@pytest.mark.parametrize("path", EPISODES, ids=ids)
def test_outputs_hold_no_local_paths(path):
    for number, cell in enumerate(code_cells(load(path)), start=1):
        for output in cell.outputs:
            assert not LOCAL_PATH.search(output_text(output)), (
                f"code cell {number} prints a local path"
            )


@pytest.mark.parametrize("path", EPISODES, ids=ids)
def test_kernelspec_is_python3(path):
    assert load(path).metadata.kernelspec.name == "python3"


@pytest.mark.parametrize("path", EPISODES, ids=ids)
def test_notebook_is_at_most_one_megabyte(path):
    assert path.stat().st_size <= MAX_BYTES


@pytest.mark.parametrize("path", EPISODES, ids=ids)
def test_notebook_opens_with_questions_objectives_timing_and_closes_with_keypoints(path):
    markdown = [cell.source for cell in load(path).cells if cell.cell_type == "markdown"]
    opening = markdown[0].lower()
    for heading in ("questions", "objectives"):
        assert heading in opening, f"the first cell has no {heading}"
    episode_timing(path)  # raises a ValueError naming the notebook when the line is missing
    assert "keypoints" in markdown[-1].lower(), "the last markdown cell has no keypoints"


@pytest.mark.parametrize("path", EPISODES, ids=ids)
def test_solutions_are_collapsed_with_their_outputs(path):
    for number, cell in enumerate(code_cells(load(path)), start=1):
        if "solution" in tags(cell):
            collapsed = cell.metadata.get("jupyter", {})
            assert collapsed.get("source_hidden") is True, f"code cell {number}: code shows"
            assert collapsed.get("outputs_hidden") is True, f"code cell {number}: output shows"


#: Live lines an instructor types per teaching minute: at most 2 in any episode, and at most
#: 1.75 over the core episodes 1-6, which leaves time for questions (see CONTRIBUTING.md).
MOST_LIVE_LINES_A_MINUTE = 2.0
CORE_LIVE_LINES_A_MINUTE = 1.75
CORE = [path for path in EPISODES if not path.name.startswith("07-")]


@pytest.mark.parametrize("path", EPISODES, ids=ids)
def test_live_lines_fit_two_a_teaching_minute(path):
    teaching, _ = episode_timing(path)
    assert live_lines(load(path)) <= MOST_LIVE_LINES_A_MINUTE * teaching


def test_the_core_episodes_leave_room_for_questions_while_live_coding():
    lines = sum(live_lines(load(path)) for path in CORE)
    minutes = sum(episode_timing(path)[0] for path in CORE)
    assert lines <= CORE_LIVE_LINES_A_MINUTE * minutes, f"{lines} live lines in {minutes} minutes"


def schedule_minutes(document: Path) -> dict[str, tuple[int, int]]:
    """Notebook name -> (teaching, exercise) minutes from a Markdown table row."""
    rows = re.findall(
        r"^\|[^|\n]*\|[^|\n]*?(\d\d-[\w-]+\.ipynb)[^|\n]*\|\s*(\d+) min\s*\|\s*(\d+) min\s*\|",
        document.read_text(encoding="utf-8"),
        flags=re.MULTILINE,
    )
    return {name: (int(teaching), int(exercises)) for name, teaching, exercises in rows}


@pytest.mark.parametrize("document", ["README.md", "instructors.md"])
def test_schedules_give_each_episodes_own_minutes(document):
    expected = {path.name: episode_timing(path) for path in EPISODES}
    assert schedule_minutes(ROOT / document) == expected


def calls(path: Path) -> set[str]:
    """Dotted names of everything called in the code cells, e.g. {'cv2.resize', ...}."""
    names = set()
    for cell in code_cells(load(path)):
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Call):
                names.add(ast.unparse(node.func))
    return names


def test_episode_4_prepares_a_drawing_with_opencv_in_the_open():
    opencv = {name for name in calls(NOTEBOOKS / "04-prediction.ipynb") if name.startswith("cv2.")}
    assert len(opencv) >= 4, opencv
