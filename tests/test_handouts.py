"""Tests for tools/make_handouts.py and for the committed handouts in handouts/."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import make_handouts
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output


def code(source: str, *tags: str, **extra) -> nbformat.NotebookNode:
    """A code cell with the given tags."""
    return new_code_cell(source, metadata={"tags": list(tags)}, **extra)


def handout(*cells: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    """The handout of an in-memory episode holding ``cells``, read back as a notebook."""
    return nbformat.reads(make_handouts.make_handout(new_notebook(cells=list(cells)), name), 4)


def code_sources(notebook: nbformat.NotebookNode) -> list[str]:
    """Sources of the code cells."""
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def write_notebook(path: Path, *cells: nbformat.NotebookNode) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=list(cells)), path)


# -- one notebook in memory -----------------------------------------------------


def test_live_code_is_blanked_provided_code_kept_and_solutions_removed():
    cells = [code("x = 1", "live"), code("import numpy", "provided"), code("y = 2", "solution")]
    assert code_sources(handout(*cells)) == ["", "import numpy"]


def test_markdown_cells_are_kept_in_order():
    cells = [new_markdown_cell("# Title"), code("x = 1", "live"), new_markdown_cell("More text")]
    markdown = [cell.source for cell in handout(*cells).cells if cell.cell_type == "markdown"]
    assert markdown == ["# Title", "More text"]


def test_outputs_execution_counts_and_cell_metadata_other_than_tags_are_cleared():
    output = new_output("stream", name="stdout", text="1\n")
    cell = code("print(1)", "provided", outputs=[output], execution_count=1)
    cell.metadata["mystnb"] = {"image": {"alt": "A plot"}}
    [kept] = handout(cell).cells
    assert (kept.outputs, kept.execution_count, kept.metadata) == ([], None, {"tags": ["provided"]})


def test_website_tags_are_dropped_but_their_cells_kept():
    cells = [code("", "provided", "remove-cell"), code("1 / 0", "provided", "raises-exception")]
    kept = handout(*cells, code("z = 3", "solution", "hide-cell")).cells
    assert [cell.metadata["tags"] for cell in kept] == [
        ["provided"],
        ["provided", "raises-exception"],
    ]


def test_the_source_notebook_is_not_changed():
    notebook = new_notebook(cells=[code("x = 1", "live"), code("y = 2", "solution")])
    before = nbformat.writes(notebook)
    make_handouts.make_handout(notebook)
    assert nbformat.writes(notebook) == before


def test_untagged_code_cell_is_an_error_naming_the_notebook_and_the_cell():
    cells = [new_markdown_cell("# Title"), code("x = 1", "live"), code("y = 2")]
    with pytest.raises(make_handouts.TagError, match=r"01-demo\.ipynb: cell 3 .*no role tag"):
        handout(*cells, name="01-demo.ipynb")


def test_code_cell_with_two_role_tags_is_an_error():
    with pytest.raises(make_handouts.TagError, match="live and solution"):
        handout(code("x = 1", "live", "solution"))


def test_handout_metadata_is_only_the_lessons_kernelspec_and_language():
    notebook = new_notebook(cells=[code("x = 1", "live")])
    notebook.metadata = {"kernelspec": {"name": "other", "display_name": "Other"}, "x": 1}
    notebook.metadata["language_info"] = {"name": "python", "version": "3.11.9"}
    metadata = nbformat.reads(make_handouts.make_handout(notebook), 4).metadata
    assert metadata == {"kernelspec": make_handouts.KERNELSPEC, "language_info": {"name": "python"}}


def test_making_a_handout_twice_gives_identical_text_even_for_cells_without_ids():
    notebook = new_notebook(cells=[new_markdown_cell("# Title"), code("x = 1", "live")])
    for cell in notebook.cells:
        del cell["id"]
    notebook.nbformat_minor = 4
    assert make_handouts.make_handout(notebook) == make_handouts.make_handout(notebook)


def test_handouts_import_nn_helpers_from_their_own_folder_without_path_edits():
    script = "import nn_helpers; print(nn_helpers.perceptron([1, 1], [0.5, 0.5], 1.0))"
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=make_handouts.HANDOUTS,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == "1", result.stderr
    for path in sorted(make_handouts.HANDOUTS.glob("[0-9][0-9]-*.ipynb")):
        assert "sys.path" not in path.read_text(encoding="utf-8"), path.name


# -- folders, --check and writing ------------------------------------------------


def test_writing_then_checking_passes_and_rewriting_changes_no_byte(tmp_path):
    write_notebook(tmp_path / "nb" / "01-one.ipynb", code("x = 1", "live"))
    write_notebook(tmp_path / "nb" / "00-setup.ipynb", code("x = 1"))
    arguments = ["--notebooks", str(tmp_path / "nb"), "--out", str(tmp_path / "out")]
    assert make_handouts.main(arguments) == 0
    written = (tmp_path / "out" / "01-one.ipynb").read_bytes()
    assert make_handouts.main(arguments) == 0
    assert (tmp_path / "out" / "01-one.ipynb").read_bytes() == written
    assert make_handouts.main(["--check", *arguments]) == 0
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == ["01-one.ipynb"]


def test_check_lists_missing_out_of_date_and_extra_handouts_and_writes_nothing(tmp_path, capsys):
    for name in ["01-one.ipynb", "02-two.ipynb"]:
        write_notebook(tmp_path / "nb" / name, code("x = 1", "live"))
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "02-two.ipynb").write_text("{}")
    (tmp_path / "out" / "03-gone.ipynb").write_text("{}")
    arguments = ["--check", "--notebooks", str(tmp_path / "nb"), "--out", str(tmp_path / "out")]
    assert make_handouts.main(arguments) == 1
    message = capsys.readouterr().err
    assert "missing" in message and "01-one.ipynb" in message
    assert "out of date" in message and "02-two.ipynb" in message
    assert "extra" in message and "03-gone.ipynb" in message
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [
        "02-two.ipynb",
        "03-gone.ipynb",
    ]


def test_writing_deletes_the_handout_of_a_notebook_that_is_gone(tmp_path):
    (tmp_path / "nb").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "03-gone.ipynb").write_text("{}")
    make_handouts.main(["--notebooks", str(tmp_path / "nb"), "--out", str(tmp_path / "out")])
    assert not (tmp_path / "out" / "03-gone.ipynb").exists()


def test_badly_tagged_cells_stop_the_command_with_every_problem_listed(tmp_path, capsys):
    write_notebook(tmp_path / "nb" / "01-one.ipynb", code("x = 1"))
    write_notebook(tmp_path / "nb" / "02-two.ipynb", code("y = 2", "live", "provided"))
    arguments = ["--notebooks", str(tmp_path / "nb"), "--out", str(tmp_path / "out")]
    assert make_handouts.main(arguments) == 1
    message = capsys.readouterr().err
    assert "01-one.ipynb: cell 1" in message and "02-two.ipynb: cell 1" in message
    assert not (tmp_path / "out").exists()


# -- the lesson's own notebooks and handouts --------------------------------------


def test_committed_handouts_are_in_sync_with_the_episode_notebooks():
    expected = make_handouts.expected_handouts()  # raises TagError for a badly tagged cell
    problems = make_handouts.out_of_date(expected, make_handouts.HANDOUTS)
    assert problems == [], "\n".join(problems) + "\nRegenerate with: python tools/make_handouts.py"


def test_image_links_in_the_committed_handouts_point_to_existing_files():
    broken = []
    for path in sorted(make_handouts.HANDOUTS.glob("[0-9][0-9]-*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "markdown":
                continue
            for target in re.findall(r"!\[[^\]]*\]\(([^)\s]+)", cell.source):
                if "://" not in target and not target.startswith("attachment:"):
                    if not (path.parent / target).is_file():
                        broken.append(f"{path.name}: {target}")
    assert broken == [], "\n".join(broken)
