"""Check how well ``nn_helpers.load_digit_image`` prepares drawn and photographed digits.

Usage::

    python tools/evaluate_handwriting.py                     # a few minutes; prints a report
    python tools/evaluate_handwriting.py --out data/handwriting-evaluation.md
    python tools/evaluate_handwriting.py --seed 7            # other pictures

It trains episode 4's network (the model episode 3 ends with, from ``tools/recipe.py``)
on the 5,000-digit MNIST sample, as the notebook does, and takes the 500 held-out test
digits. Each test digit is saved again in every style of ``tools/photo_styles.py``, as
a learner's file might look, read back with ``load_digit_image`` and classified. The
first five styles are drawings and plain photos; the last five are phone photos as
learners take them: ballpoint on ruled paper, pencil on squared paper, a sticky note
on a desk, a sheet shot at an angle, and a full-size photo stored sideways.

The report gives, per style, the accuracy, its gap to the raw digits' accuracy, and
how often the prediction is the same as for the raw digit. Pictures the loader
refuses (a ValueError) count as wrong. The redrawing is seeded, so runs agree.
"""

from __future__ import annotations

import argparse
import tempfile
import warnings
from pathlib import Path

import nn_helpers
import numpy as np
from photo_styles import STYLES
from recipe import final_model, split_and_scale
from sklearn.exceptions import ConvergenceWarning


def train():
    """Episode 4's network, trained as in the notebook; returns it and the test digits."""
    X_train, X_test, y_train, y_test = split_and_scale(*nn_helpers.load_mnist("sample"))
    model = final_model()
    # The 30 epochs run out on the sample; episode 3 explains the warning.
    with warnings.catch_warnings(action="ignore", category=ConvergenceWarning):
        model.fit(X_train, y_train)
    return model, X_test, y_test.to_numpy()


def read_back(model, digits: np.ndarray, style: str, seed: int, folder: Path) -> np.ndarray:
    """Redraw the digits in one style, read each file back, and return the predictions.

    A picture the loader refuses gets the prediction "refused", which is never right.
    """
    make, suffix = STYLES[style]
    rng = np.random.default_rng(seed)
    predictions = []
    for index, digit in enumerate(digits):
        path = folder / f"{index}{suffix}"
        path.write_bytes(make(digit, rng))
        try:
            predictions.append(model.predict(nn_helpers.load_digit_image(path))[0])
        except ValueError:
            predictions.append("refused")
    return np.array(predictions)


def evaluate(model, X_test, y_test, seed: int = 2024) -> list[str]:
    """Redraw the test digits in every style, read them back, and return the report's lines.

    Besides the table, the report says how many digits change answer in some style,
    and how many of those the network was unsure of (top probability below 0.9).
    """
    raw = model.predict(X_test)
    baseline = np.mean(raw == y_test)
    unsure = model.predict_proba(X_test).max(axis=1) < 0.9
    digits = np.round(X_test * 255).astype(np.uint8).reshape(-1, 28, 28)
    lines = [
        "| style | accuracy | gap to the raw digits | same prediction as the raw digit |",
        "|---|---|---|---|",
        f"| raw MNIST digits | {baseline:.3f} | | |",
    ]
    everything = []
    with tempfile.TemporaryDirectory() as folder:
        for number, style in enumerate(STYLES):
            predicted = read_back(model, digits, style, seed + number, Path(folder))
            everything.append(predicted)
            accuracy, same = np.mean(predicted == y_test), np.mean(predicted == raw)
            lines.append(f"| {style} | {accuracy:.3f} | {baseline - accuracy:+.3f} | {same:.3f} |")
    predicted = np.concatenate(everything)
    accuracy = np.mean(predicted == np.tile(y_test, len(STYLES)))
    same = np.mean(predicted == np.tile(raw, len(STYLES)))
    lines.append(f"| all styles | {accuracy:.3f} | {baseline - accuracy:+.3f} | {same:.3f} |")
    changed = (np.vstack(everything) != raw).any(axis=0)
    lines += [
        "",
        f"{changed.sum()} test digits get a different answer in at least one style; "
        f"{unsure[changed].sum()} of them have a top probability below 0.9 as raw digits "
        f"(of all {len(raw)} test digits, {unsure.sum()} do).",
    ]
    return lines


def main(argv: list[str] | None = None) -> None:
    """Train, redraw the test digits in every style, and print (or save) the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="also write the report to this Markdown file")
    parser.add_argument("--seed", type=int, default=2024, help="seed of the first style")
    arguments = parser.parse_args(argv)
    model, X_test, y_test = train()
    table = evaluate(model, X_test, y_test, arguments.seed)
    report = "\n".join(
        [
            "# How well load_digit_image prepares redrawn digits",
            "",
            f"Made by `python tools/evaluate_handwriting.py`: episode 4's network, trained on "
            f"{len(y_test) * 9:,} digits of the MNIST sample, reads {len(y_test)} of "
            f"its test digits as they are (raw) and redrawn in {len(STYLES)} styles (see the "
            "tool's docstring); a picture the loader refuses counts as wrong.",
            "",
            *table,
            "",
        ]
    )
    print(report)
    if arguments.out is not None:
        arguments.out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
