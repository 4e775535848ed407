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


def lesson(*cells: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """An in-memory episode notebook holding ``cells``."""
    return new_notebook(cells=list(cells))


def code_sources(notebook: nbformat.NotebookNode) -> list[str]:
    """Sources of the code cells."""
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def write_notebook(path: Path, notebook: nbformat.NotebookNode) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)


# -- one notebook in memory -----------------------------------------------------


def test_live_cells_are_kept_but_empty_in_the_handout():
    handout = make_handouts.make_handout(lesson(code("x = 1", "live")))
    assert code_sources(handout) == [""]


def test_provided_cells_are_kept_unchanged():
    handout = make_handouts.make_handout(lesson(code("import numpy as np", "provided")))
    assert code_sources(handout) == ["import numpy as np"]


def test_solution_cells_are_removed_from_the_handout():
    notebook = lesson(code("", "provided"), code("answer = 42", "solution"))
    handout = make_handouts.make_handout(notebook)
    assert code_sources(handout) == [""]


def test_markdown_cells_are_kept_in_order():
    notebook = lesson(
        new_markdown_cell("# Title"), code("x = 1", "live"), new_markdown_cell("More text")
    )
    handout = make_handouts.make_handout(notebook)
    markdown = [cell.source for cell in handout.cells if cell.cell_type == "markdown"]
    assert markdown == ["# Title", "More text"]


def test_outputs_and_execution_counts_are_cleared():
    output = new_output("stream", name="stdout", text="1\n")
    notebook = lesson(
        code("print(1)", "provided", outputs=[output], execution_count=1),
        code("print(2)", "live", outputs=[output], execution_count=2),
    )
    handout = make_handouts.make_handout(notebook)
    code_cells = [cell for cell in handout.cells if cell.cell_type == "code"]
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code_cells)


def test_the_source_notebook_is_not_changed():
    notebook = lesson(code("x = 1", "live"), code("y = 2", "solution"))
    before = nbformat.writes(notebook)
    make_handouts.make_handout(notebook)
    assert nbformat.writes(notebook) == before


def test_untagged_code_cell_is_an_error_naming_the_notebook_and_the_cell():
    notebook = lesson(new_markdown_cell("# Title"), code("x = 1", "live"), code("y = 2"))
    with pytest.raises(make_handouts.TagError, match=r"01-demo\.ipynb: cell 3 .*no role tag"):
        make_handouts.make_handout(notebook, "01-demo.ipynb")


def test_code_cell_with_two_role_tags_is_an_error():
    notebook = lesson(code("x = 1", "live", "solution"))
    with pytest.raises(make_handouts.TagError, match="live and solution"):
        make_handouts.make_handout(notebook, "01-demo.ipynb")


def test_other_tags_may_sit_next_to_one_role_tag():
    notebook = lesson(code("1 / 0", "provided", "raises-exception"))
    handout = make_handouts.make_handout(notebook)
    assert code_sources(handout) == ["1 / 0"]


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


def test_handout_metadata_is_only_the_python3_kernelspec_and_language():
    notebook = lesson(code("x = 1", "live"))
    notebook.metadata = {"kernelspec": {"name": "other", "display_name": "Other"}, "x": 1}
    handout = make_handouts.make_handout(notebook)
    assert handout.metadata == {
        "kernelspec": make_handouts.KERNELSPEC,
        "language_info": {"name": "python"},
    }


def test_making_a_handout_twice_gives_identical_text_even_for_cells_without_ids():
    notebook = lesson(new_markdown_cell("# Title"), code("x = 1", "live"))
    for cell in notebook.cells:
        del cell["id"]
    notebook.nbformat_minor = 4
    first = make_handouts.handout_text(notebook)
    second = make_handouts.handout_text(notebook)
    assert first == second


# -- folders, --check and writing ------------------------------------------------


def test_notebook_00_and_non_episode_files_get_no_handout(tmp_path):
    for name in ["00-data-check.ipynb", "01-one.ipynb", "notes.ipynb"]:
        write_notebook(tmp_path / name, lesson(code("x = 1", "live")))
    names = [path.name for path in make_handouts.episode_notebooks(tmp_path)]
    assert names == ["01-one.ipynb"]


def test_check_passes_when_there_are_no_episodes_and_no_handouts(tmp_path):
    code_ = make_handouts.main(["--check", "--notebooks", str(tmp_path), "--out", str(tmp_path)])
    assert code_ == 0


def test_writing_then_checking_passes_and_rewriting_changes_no_byte(tmp_path):
    write_notebook(tmp_path / "nb" / "01-one.ipynb", lesson(code("x = 1", "live")))
    arguments = ["--notebooks", str(tmp_path / "nb"), "--out", str(tmp_path / "out")]
    assert make_handouts.main(arguments) == 0
    written = (tmp_path / "out" / "01-one.ipynb").read_bytes()
    assert make_handouts.main(arguments) == 0
    assert (tmp_path / "out" / "01-one.ipynb").read_bytes() == written
    assert make_handouts.main(["--check", *arguments]) == 0


def test_check_lists_missing_out_of_date_and_extra_handouts(tmp_path, capsys):
    for name in ["01-one.ipynb", "02-two.ipynb"]:
        write_notebook(tmp_path / "nb" / name, lesson(code("x = 1", "live")))
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "02-two.ipynb").write_text("{}")
    (tmp_path / "out" / "03-gone.ipynb").write_text("{}")
    arguments = ["--check", "--notebooks", str(tmp_path / "nb"), "--out", str(tmp_path / "out")]
    assert make_handouts.main(arguments) == 1
    message = capsys.readouterr().err
    assert "missing" in message and "01-one.ipynb" in message
    assert "out of date" in message and "02-two.ipynb" in message
    assert "extra" in message and "03-gone.ipynb" in message


def test_check_writes_nothing(tmp_path):
    write_notebook(tmp_path / "nb" / "01-one.ipynb", lesson(code("x = 1", "live")))
    arguments = ["--check", "--notebooks", str(tmp_path / "nb"), "--out", str(tmp_path / "out")]
    make_handouts.main(arguments)
    assert not (tmp_path / "out").exists()


def test_writing_deletes_the_handout_of_a_notebook_that_is_gone(tmp_path):
    (tmp_path / "nb").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "03-gone.ipynb").write_text("{}")
    make_handouts.main(["--notebooks", str(tmp_path / "nb"), "--out", str(tmp_path / "out")])
    assert not (tmp_path / "out" / "03-gone.ipynb").exists()


def test_badly_tagged_cells_stop_the_command_with_every_problem_listed(tmp_path, capsys):
    write_notebook(tmp_path / "nb" / "01-one.ipynb", lesson(code("x = 1")))
    write_notebook(tmp_path / "nb" / "02-two.ipynb", lesson(code("y = 2", "live", "provided")))
    arguments = ["--notebooks", str(tmp_path / "nb"), "--out", str(tmp_path / "out")]
    assert make_handouts.main(arguments) == 1
    message = capsys.readouterr().err
    assert "01-one.ipynb: cell 1" in message and "02-two.ipynb: cell 1" in message
    assert not (tmp_path / "out").exists()


# -- the lesson's own notebooks and handouts --------------------------------------


def test_every_code_cell_in_every_episode_notebook_has_exactly_one_role_tag():
    problems = []
    for path in make_handouts.episode_notebooks():
        problems += make_handouts.tag_problems(nbformat.read(path, as_version=4), path.name)
    assert problems == [], "\n".join(problems)


def test_committed_handouts_are_in_sync_with_the_episode_notebooks():
    expected = make_handouts.expected_handouts()
    problems = make_handouts.out_of_date(expected, make_handouts.HANDOUTS)
    assert problems == [], "\n".join(problems) + "\nRegenerate with: python tools/make_handouts.py"


def test_committed_handouts_contain_no_solution_code():
    leaks = []
    for path in sorted(make_handouts.HANDOUTS.glob("[0-9][0-9]-*.ipynb")):
        handout = nbformat.read(path, as_version=4)
        kept = set(code_sources(handout))
        source = make_handouts.NOTEBOOKS / path.name
        for cell in handout.cells:
            tags = cell.metadata.get("tags", [])
            if "solution" in tags or ("live" in tags and cell.source.strip()):
                leaks.append(f"{path.name}: cell {cell.get('id')} has code it should not")
        if source.is_file():
            for cell in nbformat.read(source, as_version=4).cells:
                tags = cell.metadata.get("tags", [])
                if "solution" in tags and cell.source.strip() and cell.source in kept:
                    leaks.append(f"{path.name}: the solution cell {cell.get('id')} survives")
    assert leaks == [], "\n".join(leaks)


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
