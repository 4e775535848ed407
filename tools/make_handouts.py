"""Make live-coding handouts from the episode notebooks, with nbconvert's preprocessors.

Usage (from the top folder of the lesson)::

    python tools/make_handouts.py            # write handouts/NN-name.ipynb
    python tools/make_handouts.py --check    # exit 1 if handouts/ is out of date

Every code cell of an episode notebook (``notebooks/NN-name.ipynb``, from 01 on; 00 is a
set-up check) carries exactly one role tag, which decides what its handout keeps:
``live`` code (the instructor types it) becomes an empty cell to type into, ``provided``
code stays, and a ``solution`` is removed (``TagRemovePreprocessor``). Markdown cells
stay. Outputs are cleared (``ClearOutputPreprocessor``); code cells keep only their tags
and the notebook only the lesson's kernelspec and language (``ClearMetadataPreprocessor``),
so two runs give identical files. ``hide-cell`` and ``remove-cell`` only tell the website
to collapse or leave out a cell: a handout keeps the cell and drops those tags.

Handouts ``import nn_helpers`` like the notebooks (the helper package is installed), and
their image links such as ``../fig/perceptron.svg`` work because ``handouts/`` and
``notebooks/`` are both one level below the top folder.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbconvert.exporters import NotebookExporter
from nbconvert.preprocessors import Preprocessor
from nbconvert.writers import FilesWriter
from nbformat import NotebookNode
from project import HANDOUTS, KERNELSPEC, NOTEBOOKS, episode_notebooks
from traitlets.config import Config

#: The tags a code cell may carry; it must carry exactly one of them.
ROLES = ("live", "provided", "solution")

#: Tags that only the website reads; a handout keeps the cell and drops the tag.
WEBSITE_TAGS = ("hide-cell", "remove-cell")


def tag_problems(notebook: NotebookNode, name: str) -> list[str]:
    """List the code cells of ``notebook`` that do not carry exactly one role tag.

    Each message names the notebook (``name``), the cell (counted from 1 among all
    cells, as in JupyterLab) and its first line.
    """
    problems = []
    for number, cell in enumerate(notebook.cells, start=1):
        roles = sorted(set(cell.metadata.get("tags", [])) & set(ROLES))
        if cell.cell_type == "code" and len(roles) != 1:
            first_line = (cell.source.strip().splitlines() or ["(empty)"])[0][:40]
            found = "no role tag" if not roles else "the tags " + " and ".join(roles)
            problems.append(
                f"{name}: cell {number} (starting {first_line!r}) has {found}; "
                f"give it exactly one of: {', '.join(ROLES)}"
            )
    return problems


class HandoutPreprocessor(Preprocessor):
    """Blank ``live`` code, drop the website's tags, and ask for the lesson's kernel."""

    def preprocess(self, nb, resources):
        nb.metadata["kernelspec"] = dict(KERNELSPEC)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        tags = cell.metadata.pop("tags", [])
        if cell.cell_type == "code" and "live" in tags:
            cell.source = ""
        if kept := [tag for tag in tags if tag not in WEBSITE_TAGS]:
            cell.metadata["tags"] = kept
        return cell, resources


def exporter() -> NotebookExporter:
    """nbconvert's notebook exporter, set up to turn an episode into its handout."""
    config = Config()
    config.TagRemovePreprocessor.update(enabled=True, remove_cell_tags={"solution"})
    config.ClearOutputPreprocessor.enabled = True
    config.ClearMetadataPreprocessor.update(enabled=True, preserve_cell_metadata_mask={"tags"})
    return NotebookExporter(config=config, preprocessors=[HandoutPreprocessor])


def make_handout(notebook: NotebookNode) -> str:
    """Return the text of the handout of one episode notebook (which is not changed)."""
    return exporter().from_notebook_node(notebook)[0]


def expected_handouts(folder: Path = NOTEBOOKS) -> dict[str, str]:
    """Return ``{file name: text}`` of the handout of every episode notebook in ``folder``.

    Raises ``ValueError`` listing every badly tagged code cell in every notebook.
    """
    notebooks = {path.name: nbformat.read(path, as_version=4) for path in episode_notebooks(folder)}
    problems = [line for name, nb in notebooks.items() for line in tag_problems(nb, name)]
    if problems:
        raise ValueError("\n".join(problems))
    return {name: make_handout(notebook) for name, notebook in notebooks.items()}


def out_of_date(expected: dict[str, str], out: Path) -> list[str]:
    """One line per handout in ``out`` that is missing, out of date, or extra; empty if in sync.

    An extra handout (``NN-*.ipynb`` of no episode notebook, say after a renaming) is
    for the maintainer to delete.
    """
    problems = []
    for name, text in sorted(expected.items()):
        path = out / name
        if not path.is_file():
            problems.append(f"missing: {path}")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"out of date: {path}")
    for path in sorted(out.glob("[0-9][0-9]-*.ipynb")) if out.is_dir() else []:
        if path.name not in expected:
            problems.append(f"extra (no episode notebook {path.name}): {path}")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Write or check the handouts; return the exit code (0 fine, 1 not)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that they are up to date")
    args = parser.parse_args(argv)
    try:
        expected = expected_handouts(NOTEBOOKS)
    except ValueError as error:
        print(f"Cannot make handouts: fix the cell tags first.\n{error}", file=sys.stderr)
        return 1
    if args.check:
        problems = out_of_date(expected, HANDOUTS)
        if problems:
            print("Handouts are out of date:", *problems, sep="\n  ", file=sys.stderr)
            print("Regenerate them with: python tools/make_handouts.py", file=sys.stderr)
            return 1
    else:
        writer = FilesWriter(build_directory=str(HANDOUTS))
        for name, text in expected.items():
            writer.write(text, {"output_extension": ".ipynb"}, notebook_name=Path(name).stem)
    print(f"{len(expected)} handout(s) up to date in {HANDOUTS}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
