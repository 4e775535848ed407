"""Tests for tools/make_handouts.py and for the committed handouts in handouts/."""

from __future__ import annotations

import make_handouts
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output


def code(source: str, *tags: str, **extra) -> nbformat.NotebookNode:
    """A code cell with the given tags."""
    return new_code_cell(source, metadata={"tags": list(tags)}, **extra)


def handout(*cells: nbformat.NotebookNode, **metadata) -> nbformat.NotebookNode:
    """The handout of an in-memory episode holding ``cells``, read back as a notebook."""
    notebook = new_notebook(cells=list(cells), metadata=metadata)
    return nbformat.reads(make_handouts.make_handout(notebook), 4)


def test_live_code_is_blanked_provided_code_and_markdown_kept_and_solutions_removed():
    cells = [new_markdown_cell("# Title"), code("x = 1", "live"), code("import numpy", "provided")]
    kept = handout(*cells, code("y = 2", "solution"), new_markdown_cell("More")).cells
    assert [cell.source for cell in kept] == ["# Title", "", "import numpy", "More"]


def test_outputs_execution_counts_and_cell_metadata_other_than_tags_are_cleared():
    output = new_output("stream", name="stdout", text="1\n")
    cell = code("print(1)", "provided", outputs=[output], execution_count=1)
    cell.metadata["mystnb"] = {"image": {"alt": "A plot"}}
    [kept] = handout(cell).cells
    assert (kept.outputs, kept.execution_count, kept.metadata) == ([], None, {"tags": ["provided"]})


def test_website_tags_are_dropped_but_their_cells_kept():
    cells = [code("", "provided", "remove-cell"), code("1 / 0", "provided", "raises-exception")]
    kept = handout(*cells, code("z = 3", "solution", "hide-cell")).cells
    tags = [cell.metadata["tags"] for cell in kept]
    assert tags == [["provided"], ["provided", "raises-exception"]]


def test_handout_metadata_is_only_the_lessons_kernelspec_and_language():
    kernelspec = {"name": "other", "display_name": "Other"}
    language = {"name": "python", "version": "3.11.7"}
    notebook = handout(code("x = 1", "live"), kernelspec=kernelspec, language_info=language)
    wanted = {"kernelspec": make_handouts.KERNELSPEC, "language_info": {"name": "python"}}
    assert notebook.metadata == wanted


def test_handouts_import_nn_helpers_without_path_edits():
    # The helper package is installed: every test that imports nn_helpers from tests/ shows it.
    for path in sorted(make_handouts.HANDOUTS.glob("[0-9][0-9]-*.ipynb")):
        assert "sys.path" not in path.read_text(encoding="utf-8"), path.name


@pytest.fixture
def folders(tmp_path, monkeypatch):
    """Episode notebooks in ``tmp_path``, handouts in ``tmp_path / "out"``."""
    monkeypatch.setattr(make_handouts, "NOTEBOOKS", tmp_path)
    monkeypatch.setattr(make_handouts, "HANDOUTS", tmp_path / "out")
    return tmp_path


def test_written_handouts_pass_the_check_and_the_set_up_notebook_gets_none(folders):
    nbformat.write(new_notebook(cells=[code("x = 1", "live")]), folders / "01-one.ipynb")
    nbformat.write(new_notebook(cells=[code("x = 1")]), folders / "00-setup.ipynb")
    assert make_handouts.main([]) == make_handouts.main(["--check"]) == 0
    assert [path.name for path in (folders / "out").iterdir()] == ["01-one.ipynb"]


def test_check_lists_missing_out_of_date_and_extra_handouts_and_writes_nothing(folders, capsys):
    for name in ["01-one.ipynb", "02-two.ipynb"]:
        nbformat.write(new_notebook(cells=[code("x = 1", "live")]), folders / name)
    (folders / "out").mkdir()
    for name in ["02-two.ipynb", "03-gone.ipynb"]:
        (folders / "out" / name).write_text("{}")
    assert make_handouts.main(["--check"]) == 1
    message, out = capsys.readouterr().err, folders / "out"
    assert f"missing: {out / '01-one.ipynb'}" in message
    assert f"out of date: {out / '02-two.ipynb'}" in message
    assert f"extra (no episode notebook 03-gone.ipynb): {out / '03-gone.ipynb'}" in message
    assert len(list((folders / "out").iterdir())) == 2


def test_badly_tagged_cells_stop_the_command_naming_every_notebook_and_cell(folders, capsys):
    cells = [new_markdown_cell("# One"), code("x = 1")]
    nbformat.write(new_notebook(cells=cells), folders / "01-one.ipynb")
    nbformat.write(
        new_notebook(cells=[code("y = 2", "live", "provided")]), folders / "02-two.ipynb"
    )
    assert make_handouts.main([]) == 1
    message = capsys.readouterr().err
    assert "01-one.ipynb: cell 2 (starting 'x = 1') has no role tag" in message
    assert "02-two.ipynb: cell 1 (starting 'y = 2') has the tags live and provided" in message
    assert not (folders / "out").exists()


def test_committed_handouts_are_in_sync_with_the_episode_notebooks():
    problems = make_handouts.out_of_date(make_handouts.expected_handouts(), make_handouts.HANDOUTS)
    assert problems == [], "\n".join(problems) + "\nRegenerate with: python tools/make_handouts.py"
