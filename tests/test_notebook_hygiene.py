"""Every committed episode notebook is clean: executed in order from a fresh
kernel, no errors or warnings shown, no local paths, small, accessible images,
and the lesson's structure (questions/objectives/timing first, keypoints last).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
SEED = ROOT.parent / "shared" / "seed" / "neural-networks-lesson.md"
MAX_BYTES = 1_000_000
LOCAL_PATH = re.compile(r"(/home/|/root/|/tmp/|/Users/|/work/|[A-Za-z]:\\\\)")
MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)[^)]*\)")
HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)

ids = [path.name for path in NOTEBOOKS]


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


def test_there_are_episode_notebooks():
    assert NOTEBOOKS, "no notebooks/NN-*.ipynb found"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_code_cells_were_executed_in_order_from_a_fresh_kernel(path):
    counts = [cell["execution_count"] for cell in code_cells(load(path)) if source(cell).strip()]
    assert counts == list(range(1, len(counts) + 1))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_no_output_is_an_error_or_stderr(path):
    for number, cell in enumerate(code_cells(load(path)), start=1):
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"code cell {number} shows an error"
            assert output.get("name") != "stderr", f"code cell {number} shows stderr"
            assert "Warning:" not in output_text(output).replace("Warning (", ""), (
                f"code cell {number} shows a raw warning"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_outputs_hold_no_local_paths(path):
    for number, cell in enumerate(code_cells(load(path)), start=1):
        for output in cell.get("outputs", []):
            assert not LOCAL_PATH.search(output_text(output)), (
                f"code cell {number} prints a local path"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_kernelspec_is_python3(path):
    assert load(path)["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_notebook_is_at_most_one_megabyte(path):
    assert path.stat().st_size <= MAX_BYTES


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_no_cell_calls_cv2_imshow(path):
    for cell in code_cells(load(path)):
        assert "cv2.imshow" not in source(cell)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_notebook_opens_with_questions_objectives_timing_and_closes_with_keypoints(path):
    markdown = [source(cell) for cell in load(path)["cells"] if cell["cell_type"] == "markdown"]
    opening = markdown[0].lower()
    for heading in ("questions", "objectives", "timing"):
        assert heading in opening, f"the first cell has no {heading}"
    assert "keypoints" in markdown[-1].lower(), "the last markdown cell has no keypoints"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_solution_cells_are_collapsed(path):
    for number, cell in enumerate(code_cells(load(path)), start=1):
        if "solution" in cell.get("metadata", {}).get("tags", []):
            hidden = cell["metadata"].get("jupyter", {}).get("source_hidden")
            assert hidden is True, f"solution in code cell {number} is not collapsed"


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


@pytest.mark.skipif(not SEED.is_file(), reason="the original episode text is not beside this copy")
@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_prose_is_written_in_our_own_words(path):
    prose, in_code = [], False
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if line.startswith("~~~"):
            in_code = not in_code
        elif not in_code and not line.startswith(("{:", "|")):
            prose.append(line)
    seed_words = words(" ".join(prose))
    runs = {tuple(seed_words[i : i + 12]) for i in range(len(seed_words) - 11)}
    markdown = " ".join(
        source(cell) for cell in load(path)["cells"] if cell["cell_type"] == "markdown"
    )
    ours = words(markdown)
    copied = [
        " ".join(ours[i : i + 12]) for i in range(len(ours) - 11) if tuple(ours[i : i + 12]) in runs
    ]
    assert not copied, f"copied from the original episode: {copied[:2]}"
