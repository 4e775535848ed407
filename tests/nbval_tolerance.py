"""nbval, with a tolerance for the numbers that come out of training.

nbval re-runs every notebook and compares each cell's new outputs with the saved ones, as
text, exactly. A trained network's last digits depend on the CPU, so a code cell tagged
``nbval-tolerance`` (cell metadata ``tags``) is compared like this instead:

- the text with its numbers taken out must be the same, spaces aside (a number one digit
  longer shifts the columns of a table, and NumPy pads ``0.`` to the width of ``0.001``);
- the same count of numbers must appear, in the same order;
- a number written with a decimal point (an accuracy, a probability, a loss, a mean ± its
  spread) may differ from the saved one by :data:`SCORE_TOLERANCE`;
- a whole number (a count of digits: wrong answers, a cell of a confusion matrix) may differ
  by :data:`COUNT_TOLERANCE`.

CONTRIBUTING.md ("Outputs that hold on every computer") explains why and how these numbers
were chosen; ``tests/test_nbval_tolerance.py`` shows that a crippled network falls outside
them. Loaded for every pytest run by the ``conftest.py`` at the top of the lesson.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable

import pytest
from nbval.plugin import IPyNbCell, transform_streams_for_comparison

#: The tag that asks for this comparison.
TAG = "nbval-tolerance"

#: How far a score printed with a decimal point may move between computers. Trained on the
#: 5,000-digit sample, accuracies move by up to about 0.01 between CPU types and thread
#: counts; a crippled network (too few hidden units, too little training, unscaled
#: pixels) loses far more than this.
SCORE_TOLERANCE = 0.02

#: How far a whole number may move: SCORE_TOLERANCE of the sample's 500 test digits.
COUNT_TOLERANCE = round(SCORE_TOLERANCE * 500)

#: Where a run keeps the largest move of a score and of a count, to report at its end.
LARGEST_MOVES = pytest.StashKey[dict]()

#: A number as the lesson prints it: ``7``, ``-0.25``, ``4,500``, ``0.936``, ``1e-05``, and
#: NumPy's ``0.`` for 0.0; not the digits inside a name such as ``pixel784`` or ``Conv2d``.
NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:,\d{3})*(?:\.\d*)?(?:[eE][-+]?\d+)?(?!\w)")

#: Spaces and tabs, which do not count.
SPACES = re.compile(r"[ \t]+")

#: What joins the texts of several outputs of one kind, so that a missing or an extra
#: output changes the text around the numbers.
BETWEEN_OUTPUTS = "\n<next output>\n"


def skeleton(text: str) -> str:
    """The text with each number replaced by ``#``, and without spaces."""
    return SPACES.sub("", NUMBER.sub("#", text))


def differences(saved: str, new: str, largest: dict | None = None) -> list[str]:
    """Say how ``new`` differs from ``saved`` beyond the tolerance; an empty list if it does not.

    ``largest``, if given, keeps the largest move of a score and of a count seen so far.
    """
    if skeleton(saved) != skeleton(new):
        return [
            "the text around the numbers changed:",
            f"  saved: {skeleton(saved)!r}",
            f"  new:   {skeleton(new)!r}",
        ]
    problems = []
    pairs = zip(NUMBER.findall(saved), NUMBER.findall(new), strict=True)
    for position, (old, now) in enumerate(pairs, start=1):
        kind, allowed = ("score", SCORE_TOLERANCE) if "." in old else ("count", COUNT_TOLERANCE)
        moved = abs(float(old.replace(",", "")) - float(now.replace(",", "")))
        if largest is not None:
            largest[kind] = max(largest.get(kind, 0), moved)
        if moved > allowed + 1e-9:
            problems.append(
                f"number {position} is {now} where the saved output has {old}: "
                f"more than {allowed:g} apart"
            )
    return problems


def comparable_texts(outputs: Iterable, skip: Iterable[str], sanitize: Callable) -> dict:
    """A cell's outputs as nbval compares them: stream or MIME type -> the text of them all."""
    texts = defaultdict(list)
    for output in transform_streams_for_comparison(outputs):
        for key, content in output.items():
            if key in skip:
                continue
            parts = content.items() if key == "data" else [(key, content)]
            for name, text in parts:
                if name not in skip:
                    text = "".join(text) if isinstance(text, list) else text
                    texts[name].append(sanitize(text) if isinstance(text, str) else str(text))
    return {name: BETWEEN_OUTPUTS.join(parts) for name, parts in texts.items()}


def compare_within_tolerance(cell: IPyNbCell, new_outputs, saved_outputs) -> bool:
    """Compare one tagged cell's outputs; on failure, say why in nbval's report."""
    saved = comparable_texts(saved_outputs, cell.parent.skip_compare, cell.sanitize)
    new = comparable_texts(new_outputs, cell.parent.skip_compare, cell.sanitize)
    problems, moves = [], {}
    if saved.keys() != new.keys():
        problems.append(f"the kinds of output changed: saved {sorted(saved)}, new {sorted(new)}")
        problems += [f"  new {kind}: {new[kind]!r:.300}" for kind in new.keys() - saved.keys()]
    for kind in sorted(saved.keys() & new.keys()):
        problems += [f"{kind}: {problem}" for problem in differences(saved[kind], new[kind], moves)]
    largest = cell.config.stash.setdefault(LARGEST_MOVES, {})
    for kind, moved in moves.items():
        if moved > largest.get(kind, (0, ""))[0]:
            largest[kind] = (moved, cell.nodeid)
    cell.comparison_traceback = [
        f"Cell tagged {TAG}: whole numbers may move by {COUNT_TOLERANCE}, "
        f"numbers with a decimal point by {SCORE_TOLERANCE}, the rest must match.",
        *problems,
    ]
    return not problems


def pytest_collection_modifyitems(items) -> None:
    """Give every notebook cell tagged ``nbval-tolerance`` the comparison above."""
    for item in items:
        if isinstance(item, IPyNbCell) and TAG in item.cell.metadata.get("tags", []):
            item.compare_outputs = lambda new, saved, skip_compare=None, cell=item: (
                compare_within_tolerance(cell, new, saved)
            )


def pytest_terminal_summary(terminalreporter, config) -> None:
    """Say how far the numbers of tagged cells moved from the saved ones in this run."""
    largest = config.stash.get(LARGEST_MOVES, {})
    if largest:
        terminalreporter.write_line(
            f"{TAG}: largest moves from the saved outputs: "
            + "; ".join(
                f"{kind} {moved:g} ({where})" for kind, (moved, where) in sorted(largest.items())
            )
        )
