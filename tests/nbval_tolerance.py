"""nbval, with a tolerance for the numbers that come out of training.

nbval re-runs every notebook and compares each cell's new outputs with the saved ones, as
text. Text, shapes, counts of data, truth tables and the perceptron's learning come out the
same on every computer, and are compared exactly. A trained network's numbers do not: CPUs
add up in different orders (AVX-512 or AVX2, Intel or AMD, one thread or two), training
drifts a little, and the last digits of an accuracy move. So a code cell tagged
``nbval-tolerance`` (cell metadata ``tags``) is compared like this instead:

- the text with its numbers taken out must be the same, spaces aside (a number one digit
  longer shifts the columns of a table, and NumPy pads ``0.`` to the width of ``0.001``);
- the same count of numbers must appear, in the same order;
- a number written with a decimal point (an accuracy, a probability, a loss, a mean ± its
  spread) may differ from the saved one by :data:`SCORE_TOLERANCE`;
- a whole number (a count of digits: wrong answers, a cell of a confusion matrix) may differ
  by :data:`COUNT_TOLERANCE`.

CONTRIBUTING.md explains the choice of these numbers; ``tests/test_nbval_tolerance.py``
shows that a crippled network falls outside them. Untagged cells are compared exactly, as
nbval does. Loaded for every pytest run by the ``conftest.py`` at the top of the lesson.
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


def skeleton(text: str) -> str:
    """The text with each number replaced by ``#``, and without spaces."""
    return SPACES.sub("", NUMBER.sub("#", text))


def allowed_difference(number: str) -> float:
    """The tolerance for one saved number: a score's or a count's."""
    return SCORE_TOLERANCE if "." in number else COUNT_TOLERANCE


def value(number: str) -> float:
    """The value of a number as printed, thousands separators and all."""
    return float(number.replace(",", ""))


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
        allowed, moved = allowed_difference(old), abs(value(old) - value(now))
        kind = "score" if allowed == SCORE_TOLERANCE else "count"
        if largest is not None:
            largest[kind] = max(largest.get(kind, 0), moved)
        if moved > allowed + 1e-9:
            problems.append(
                f"number {position} is {now} where the saved output has {old}: "
                f"more than {allowed:g} apart"
            )
    return problems


def comparable_texts(outputs: Iterable, skip: Iterable[str], sanitize: Callable) -> dict:
    """Group a cell's outputs the way nbval compares them: stream or MIME type -> texts."""
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
    return texts


def compare_within_tolerance(cell: IPyNbCell, new_outputs, saved_outputs) -> bool:
    """Compare one tagged cell's outputs; on failure, say why in nbval's report."""
    skip = cell.parent.skip_compare
    saved = comparable_texts(saved_outputs, skip, cell.sanitize)
    new = comparable_texts(new_outputs, skip, cell.sanitize)
    problems, moves = [], {}
    if saved.keys() != new.keys():
        problems.append(f"the kinds of output changed: saved {sorted(saved)}, new {sorted(new)}")
        added = sorted(new.keys() - saved.keys())
        problems += [f"  new {kind}: {new[kind]!r:.300}" for kind in added]
    for kind in sorted(saved.keys() & new.keys()):
        if len(saved[kind]) != len(new[kind]):
            problems.append(f"{kind}: {len(new[kind])} outputs where {len(saved[kind])} were saved")
            continue
        for old, now in zip(saved[kind], new[kind], strict=True):
            problems += [f"{kind}: {problem}" for problem in differences(old, now, moves)]
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
