"""Make live-coding handouts from the episode notebooks.

Usage (from the top folder of the lesson)::

    python tools/make_handouts.py            # write handouts/NN-name.ipynb
    python tools/make_handouts.py --check    # exit 1 if handouts/ is out of date
    python tools/make_handouts.py --out DIR  # write (or check) somewhere else

Every code cell of an episode notebook (``notebooks/NN-name.ipynb``, numbered
01 and up) carries exactly one of three tags, which decides what the handout
keeps:

- ``live``: the instructor types it during the lesson. The handout keeps an
  empty cell in its place for the learner to type into.
- ``provided``: kept as it is (set-up code, empty exercise cells).
- ``solution``: removed.

Markdown and raw cells are kept. Every output and execution count is cleared,
and the notebook metadata is reduced to a fixed kernelspec, so running the
command twice gives byte-identical files.

The handouts live in ``handouts/`` and ``import nn_helpers`` like the notebooks:
``python3 tools/lesson.py setup`` (and Binder's ``postBuild``) installs the helper
package, so it imports from any folder. Image links such as
``../fig/perceptron.svg`` work unchanged, because ``handouts/`` and
``notebooks/`` are both one level below the top folder.

Notebook ``00-*`` (a set-up check, not taught live) gets no handout.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from project import HANDOUTS, KERNELSPEC, NOTEBOOKS, episode_notebooks

#: The tags a code cell may carry; it must carry exactly one of them.
ROLES = ("live", "provided", "solution")


class TagError(ValueError):
    """A code cell does not carry exactly one of the tags ``live``, ``provided``, ``solution``."""


def _describe(cell: NotebookNode, number: int, code_number: int) -> str:
    """Say which cell this is, for error messages: its number and first line."""
    first_line = cell.source.strip().splitlines()[0] if cell.source.strip() else "(empty)"
    if len(first_line) > 40:
        first_line = first_line[:37] + "..."
    return f"cell {number} (code cell {code_number}, starting {first_line!r})"


def tag_problems(notebook: NotebookNode, name: str) -> list[str]:
    """List the code cells of ``notebook`` that do not carry exactly one role tag.

    Parameters
    ----------
    notebook : NotebookNode
        The notebook, as read by ``nbformat.read(..., as_version=4)``.
    name : str
        How to name the notebook in the messages (e.g. its file name).

    Returns
    -------
    list of str
        One message per faulty cell; empty when every code cell is tagged well.
        Cells are counted from 1 among all cells, as they appear in JupyterLab.

    Examples
    --------
    >>> tag_problems(nbformat.v4.new_notebook(), "empty.ipynb")
    []
    """
    problems = []
    code_number = 0
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code":
            continue
        code_number += 1
        roles = sorted(set(cell.metadata.get("tags", [])) & set(ROLES))
        if len(roles) != 1:
            found = "no role tag" if not roles else "the tags " + " and ".join(roles)
            problems.append(
                f"{name}: {_describe(cell, number, code_number)} has {found}; "
                f"give it exactly one of: {', '.join(ROLES)}"
            )
    return problems


def cell_role(cell: NotebookNode) -> str:
    """Return the role tag (``live``, ``provided`` or ``solution``) of a code cell.

    Raises
    ------
    TagError
        If the cell carries none of the three tags, or more than one.

    Examples
    --------
    >>> cell_role(nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["live"]}))
    'live'
    """
    roles = sorted(set(cell.metadata.get("tags", [])) & set(ROLES))
    if len(roles) != 1:
        raise TagError(f"a code cell needs exactly one of the tags {ROLES}, found {roles}")
    return roles[0]


def _clean_cell(cell: NotebookNode, index: int) -> NotebookNode:
    """Copy a cell with a stable id, only its tags as metadata, and no outputs."""
    cell_id = cell.get("id") or f"cell-{index}"
    metadata = {"tags": list(cell.metadata["tags"])} if cell.metadata.get("tags") else {}
    if cell.cell_type == "code":
        return nbformat.v4.new_code_cell(cell.source, id=cell_id, metadata=metadata)
    if cell.cell_type == "markdown":
        extra = {"attachments": cell.attachments} if cell.get("attachments") else {}
        return nbformat.v4.new_markdown_cell(cell.source, id=cell_id, metadata=metadata, **extra)
    return nbformat.v4.new_raw_cell(cell.source, id=cell_id, metadata=dict(cell.metadata))


def make_handout(notebook: NotebookNode, name: str = "notebook") -> NotebookNode:
    """Return the live-coding handout of one episode notebook.

    Parameters
    ----------
    notebook : NotebookNode
        The episode notebook (it is not changed).
    name : str
        How to name the notebook in error messages.

    Returns
    -------
    NotebookNode
        A new notebook (format 4.5): markdown kept, ``provided`` code kept,
        ``live`` code blanked, ``solution`` code removed, outputs cleared.

    Raises
    ------
    TagError
        If any code cell lacks a role tag or has more than one; the message
        names the notebook and each faulty cell.

    Examples
    --------
    >>> handout = make_handout(nbformat.read("notebooks/01-perceptron.ipynb", 4))  # doctest: +SKIP
    """
    problems = tag_problems(notebook, name)
    if problems:
        raise TagError("\n".join(problems))
    cells = []
    for index, cell in enumerate(notebook.cells, start=1):
        clean = _clean_cell(cell, index)
        if cell.cell_type == "code":
            role = cell_role(cell)
            if role == "solution":
                continue
            if role == "live":
                clean.source = ""
        cells.append(clean)
    handout = nbformat.v4.new_notebook(cells=cells)
    handout.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    nbformat.validate(handout)
    return handout


def handout_text(notebook: NotebookNode, name: str = "notebook") -> str:
    """Return the handout of ``notebook`` as the exact text of its file.

    Examples
    --------
    >>> text = handout_text(nbformat.v4.new_notebook())
    >>> text.endswith("\\n")
    True
    """
    text = nbformat.writes(make_handout(notebook, name))
    return text if text.endswith("\n") else text + "\n"


def expected_handouts(folder: Path = NOTEBOOKS) -> dict[str, str]:
    """Return ``{file name: text}`` of the handout of every episode notebook.

    Raises
    ------
    TagError
        Listing every badly tagged code cell in every notebook.

    Examples
    --------
    >>> sorted(expected_handouts(Path("notebooks")))  # doctest: +SKIP
    ['01-perceptron.ipynb', ...]
    """
    texts, problems = {}, []
    for path in episode_notebooks(folder):
        notebook = nbformat.read(path, as_version=4)
        found = tag_problems(notebook, path.name)
        if found:
            problems.extend(found)
        else:
            texts[path.name] = handout_text(notebook, path.name)
    if problems:
        raise TagError("\n".join(problems))
    return texts


def _existing_handouts(out: Path) -> list[Path]:
    """Handout-like files (``NN-*.ipynb``) already in ``out``."""
    if not out.is_dir():
        return []
    return sorted(path for path in out.glob("[0-9][0-9]-*.ipynb") if path.is_file())


def out_of_date(expected: dict[str, str], out: Path) -> list[str]:
    """Compare the expected handouts with the files in ``out``.

    Parameters
    ----------
    expected : dict
        ``{file name: text}`` from :func:`expected_handouts`.
    out : Path
        Folder holding the committed handouts (it need not exist).

    Returns
    -------
    list of str
        One line per handout that is missing, out of date, or extra (has no
        episode notebook); empty when ``out`` is in sync.

    Examples
    --------
    >>> out_of_date({}, Path("no-such-folder"))
    []
    """
    problems = []
    for name, text in sorted(expected.items()):
        path = out / name
        if not path.is_file():
            problems.append(f"missing: {path}")
        elif path.read_bytes() != text.encode("utf-8"):
            problems.append(f"out of date: {path}")
    for path in _existing_handouts(out):
        if path.name not in expected:
            problems.append(f"extra (no episode notebook {path.name}): {path}")
    return problems


def write_handouts(expected: dict[str, str], out: Path) -> list[str]:
    """Write the handouts that changed into ``out`` and delete extra ones.

    Only files named like handouts (``NN-*.ipynb``) are ever deleted.

    Returns
    -------
    list of str
        What was done, one line per file written or deleted.

    Examples
    --------
    >>> write_handouts({}, Path("handouts"))  # doctest: +SKIP
    []
    """
    if expected:
        out.mkdir(parents=True, exist_ok=True)
    done = []
    for name, text in sorted(expected.items()):
        path = out / name
        data = text.encode("utf-8")
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
            done.append(f"wrote {path}")
    for path in _existing_handouts(out):
        if path.name not in expected:
            path.unlink()
            done.append(f"deleted {path} (no episode notebook of that name)")
    return done


def _handouts(count: int) -> str:
    """``"1 handout is"`` / ``"3 handouts are"``."""
    return "1 handout is" if count == 1 else f"{count} handouts are"


def main(argv: list[str] | None = None) -> int:
    """Write or check the handouts; return the exit code (0 fine, 1 not)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that DIR is up to date")
    parser.add_argument("--out", type=Path, default=HANDOUTS, metavar="DIR", help="output folder")
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        expected = expected_handouts(args.notebooks)
    except TagError as error:
        print(f"Cannot make handouts: fix the cell tags first.\n{error}", file=sys.stderr)
        return 1
    if args.check:
        problems = out_of_date(expected, args.out)
        if problems:
            print("Handouts are out of date:", *problems, sep="\n  ", file=sys.stderr)
            print("Regenerate them with: python tools/make_handouts.py", file=sys.stderr)
            return 1
        print(f"{_handouts(len(expected))} up to date in {args.out}.")
        return 0
    done = write_handouts(expected, args.out)
    for line in done:
        print(line)
    print(f"{_handouts(len(expected))} up to date in {args.out}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
