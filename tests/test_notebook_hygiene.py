"""Every committed episode notebook is clean and keeps the lesson's promises: executed in
order from a fresh kernel, no errors, only warnings the lesson explains, no local paths or
widget state, accessible images, the lesson's structure, a live-coding load an instructor
can type, and episodes that agree with each other and with the schedule."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from project import NOTEBOOKS, ROOT, episode_notebooks

EPISODES = episode_notebooks()
MAX_BYTES = 1_000_000
LOCAL_PATH = re.compile(r"(/home/|/root/|/tmp/|/Users/|/work/|[A-Za-z]:\\\\)")
MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)[^)]*\)")
HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
TIMING = re.compile(r"\*\*Timing\**:?\**\s*(\d+) minutes teaching, (\d+) minutes exercises")
WARNING_ONLY = re.compile(r"^(\S*:\d+: \w+Warning: .+\n(.*\n)*?  \S.*\n)+$")

ids = [path.name for path in EPISODES]


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def code_cells(notebook: dict) -> list[dict]:
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def source(cell: dict) -> str:
    text = cell.get("source", "")
    return text if isinstance(text, str) else "".join(text)


def output_text(output: dict) -> str:
    parts = [output.get("text", ""), output.get("data", {}).get("text/plain", "")]
    return "".join("".join(part) if isinstance(part, list) else part for part in parts)


def tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def live_lines(notebook: dict) -> int:
    """Lines an instructor types: non-blank, non-comment lines of `live` cells."""
    return sum(
        1
        for cell in code_cells(notebook)
        if "live" in tags(cell)
        for line in source(cell).splitlines()
        if line.strip() and not line.strip().startswith("#")
    )


def timing(path: Path) -> tuple[int, int]:
    found = TIMING.search(source(load(path)["cells"][0]))
    assert found, f"{path.name}: the opening cell has no '**Timing**: N minutes teaching, ...'"
    return int(found[1]), int(found[2])


def test_there_are_episode_notebooks():
    assert len(EPISODES) >= 6


@pytest.mark.parametrize("path", EPISODES, ids=ids)
def test_code_cells_were_executed_in_order_from_a_fresh_kernel(path):
    counts = [cell["execution_count"] for cell in code_cells(load(path)) if source(cell).strip()]
    assert counts == list(range(1, len(counts) + 1))


@pytest.mark.parametrize("path", EPISODES, ids=ids)
def test_no_output_is_an_error_and_stderr_only_shows_warnings(path):
    for number, cell in enumerate(code_cells(load(path)), start=1):
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"code cell {number} shows an error"
            if output.get("name") == "stderr":
                assert WARNING_ONLY.match(output_text(output)), (
                    f"code cell {number} shows stderr that is not a warning: "
                    f"{output_text(output)[:120]!r}"
                )


@pytest.mark.parametrize("path", EPISODES, ids=ids)
def test_outputs_hold_no_local_paths(path):
    for number, cell in enumerate(code_cells(load(path)), start=1):
        for output in cell.get("outputs", []):
            assert not LOCAL_PATH.search(output_text(output)), (
                f"code cell {number} prints a local path"
            )


@pytest.mark.parametrize("path", EPISODES, ids=ids)
def test_no_widget_state_is_saved(path):
    assert "widgets" not in load(path)["metadata"]


@pytest.mark.parametrize("path", EPISODES, ids=ids)
def test_kernelspec_is_python3(path):
    assert load(path)["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", EPISODES, ids=ids)
def test_notebook_is_at_most_one_megabyte(path):
    assert path.stat().st_size <= MAX_BYTES


@pytest.mark.parametrize("path", EPISODES, ids=ids)
def test_no_cell_calls_cv2_imshow_or_hides_warnings_with_a_helper(path):
    for cell in code_cells(load(path)):
        assert "cv2.imshow" not in source(cell)
        assert "print_warnings" not in source(cell)


@pytest.mark.parametrize("path", EPISODES, ids=ids)
def test_every_markdown_image_has_alt_text_and_exists(path):
    for cell in load(path)["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = source(cell)
        for alt, target in MARKDOWN_IMAGE.findall(text):
            assert len(alt.split()) >= 3, f"image {target} needs alt text that describes it"
            if not target.startswith(("http://", "https://")):
                assert (path.parent / target).is_file(), f"image {target} does not exist"
        for tag in HTML_IMAGE.findall(text):
            assert re.search(r'alt="[^"]{10,}"', tag), f"{tag} needs alt text"


@pytest.mark.parametrize("path", EPISODES, ids=ids)
def test_notebook_opens_with_questions_objectives_timing_and_closes_with_keypoints(path):
    markdown = [source(cell) for cell in load(path)["cells"] if cell["cell_type"] == "markdown"]
    opening = markdown[0].lower()
    for heading in ("questions", "objectives"):
        assert heading in opening, f"the first cell has no {heading}"
    timing(path)
    assert "keypoints" in markdown[-1].lower(), "the last markdown cell has no keypoints"


@pytest.mark.parametrize("path", EPISODES, ids=ids)
def test_solutions_are_collapsed_with_their_outputs(path):
    for number, cell in enumerate(code_cells(load(path)), start=1):
        if "solution" in tags(cell):
            collapsed = cell["metadata"].get("jupyter", {})
            assert collapsed.get("source_hidden") is True, f"code cell {number}: code shows"
            assert collapsed.get("outputs_hidden") is True, f"code cell {number}: output shows"


#: Live lines an instructor types per teaching minute: at most 2 in any episode, and at most
#: 1.75 over the core episodes 1-6, which leaves time for questions (see CONTRIBUTING.md).
MOST_LIVE_LINES_A_MINUTE = 2.0
CORE_LIVE_LINES_A_MINUTE = 1.75
CORE = [path for path in EPISODES if not path.name.startswith("07-")]


@pytest.mark.parametrize("path", EPISODES, ids=ids)
def test_live_lines_fit_two_a_teaching_minute(path):
    teaching, _ = timing(path)
    assert live_lines(load(path)) <= MOST_LIVE_LINES_A_MINUTE * teaching


def test_the_core_episodes_leave_room_for_questions_while_live_coding():
    lines = sum(live_lines(load(path)) for path in CORE)
    minutes = sum(timing(path)[0] for path in CORE)
    assert lines <= CORE_LIVE_LINES_A_MINUTE * minutes, f"{lines} live lines in {minutes} minutes"


def test_the_live_budget_counts_only_typed_lines_of_live_cells():
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {"tags": ["live"]},
                "source": "a = 1\n\n# why\nb = 2",
            },
            {"cell_type": "code", "metadata": {"tags": ["provided"]}, "source": "c = 3"},
        ]
    }
    assert live_lines(notebook) == 2


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
    expected = {path.name: timing(path) for path in EPISODES}
    assert schedule_minutes(ROOT / document) == expected


def code_lines(path: Path) -> list[str]:
    return [
        line.strip()
        for cell in code_cells(load(path))
        if "solution" not in tags(cell)
        for line in source(cell).splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


RECIPE = [
    "data, labels = nn_helpers.load_mnist()",
    "X = data.to_numpy()",
    "y = labels",
    "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.1, stratify=y, "
    "random_state=1)",
    "X_train = X_train / np.float32(255)",
    "X_test = X_test / np.float32(255)",
    "model = MLPClassifier(hidden_layer_sizes=(200,), max_iter=30, early_stopping=True, "
    "random_state=1)",
    "model.fit(X_train, y_train)",
]


@pytest.mark.parametrize(
    "name", ["03-mlp-mnist.ipynb", "04-prediction.ipynb", "05-confusion-matrix.ipynb"]
)
def test_episodes_3_to_5_build_the_same_final_network_the_same_way(name):
    lines = code_lines(NOTEBOOKS / name)
    positions = [lines.index(line) if line in lines else -1 for line in RECIPE]
    missing = [line for line, position in zip(RECIPE, positions, strict=True) if position < 0]
    assert not missing, f"{name} lacks: {missing}"
    assert positions == sorted(positions), f"{name} runs the recipe's steps out of order"


def calls(path: Path) -> set[str]:
    """Dotted names of everything called in the code cells, e.g. {'cv2.resize', ...}."""
    names = set()
    for cell in code_cells(load(path)):
        for node in ast.walk(ast.parse(source(cell))):
            if isinstance(node, ast.Call):
                names.add(ast.unparse(node.func))
    return names


def test_episode_3_shows_the_fetch_openml_call():
    assert "fetch_openml" in calls(NOTEBOOKS / "03-mlp-mnist.ipynb")


def test_episode_4_prepares_a_drawing_with_opencv_in_the_open():
    opencv = {name for name in calls(NOTEBOOKS / "04-prediction.ipynb") if name.startswith("cv2.")}
    assert len(opencv) >= 4, opencv


def test_helper_package_stays_small():
    sizes = {
        path.name: len(path.read_text(encoding="utf-8").splitlines())
        for path in (NOTEBOOKS / "nn_helpers").glob("*.py")
    }
    assert sum(sizes.values()) <= 900, sizes
    assert max(sizes.values()) <= 350, sizes
