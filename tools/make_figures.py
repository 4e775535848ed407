"""Draw every diagram in the lesson's ``fig/`` folder, the same way every time.

Usage::

    python tools/make_figures.py              # write into fig/
    python tools/make_figures.py --out DIR    # write somewhere else (the tests do)

Each figure has one function below that takes the output folder and returns
the path it wrote. Matplotlib normally writes the date and random ids into an
SVG; here the ids come from a fixed salt and the date is left out, so running
the script twice gives byte-for-byte the same files (``tests/test_figures.py``
checks this against the committed ones).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Patch  # noqa: E402
from nn_helpers.plots import COLOURS  # noqa: E402
from project import FIG  # noqa: E402
from sklearn.model_selection import KFold  # noqa: E402

#: Okabe & Ito's colour-blind-safe colours, as the notebooks' plots use them.
BLUE, SKY_BLUE, ORANGE = COLOURS["blue"], COLOURS["sky blue"], COLOURS["orange"]
VERMILLION, GREEN = COLOURS["vermillion"], COLOURS["bluish green"]
GREY = "#555555"

#: The 4-fold split of 8 items (numbered from 1) drawn in kfold.svg, as scikit-learn's
#: KFold makes it in episode 6: fold number -> test items.
KFOLD_ITEMS = 8
KFOLD_TEST_ITEMS = {
    fold: tuple(int(item) + 1 for item in test)
    for fold, (_, test) in enumerate(KFold(4).split(range(KFOLD_ITEMS)), start=1)
}


#: Settings that make the SVGs the same on every run (a fixed salt for the ids
#: and the font matplotlib ships with, drawn as outlines).
STYLE = {
    "svg.hashsalt": "nn-lesson",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "mathtext.fontset": "dejavusans",
    "font.size": 12,
    "hatch.linewidth": 1.5,
}


def _save(figure, path: Path) -> Path:
    figure.savefig(path, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(figure)
    return path


def _node(ax, xy, text, radius=0.32, colour=SKY_BLUE, size=13):
    """Draw a labelled circle and return it (arrows attach to its edge)."""
    circle = Circle(xy, radius, facecolor=colour, edgecolor="black", linewidth=1.5, zorder=3)
    ax.add_patch(circle)
    ax.text(*xy, text, ha="center", va="center", fontsize=size, zorder=4)
    return circle


def _arrow(ax, start, end, patch_a=None, patch_b=None, colour="black", width=1.4):
    arrow = FancyArrowPatch(
        start,
        end,
        patchA=patch_a,
        patchB=patch_b,
        arrowstyle="-|>",
        mutation_scale=14,
        color=colour,
        linewidth=width,
        shrinkA=2,
        shrinkB=2,
        zorder=2,
    )
    ax.add_patch(arrow)
    return arrow


def _diagram(size: tuple[float, float], xlim: tuple[float, float], ylim: tuple[float, float]):
    """A blank figure for a diagram: equal axis scales, no axes drawn."""
    figure, ax = plt.subplots(figsize=size)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    return figure, ax


def perceptron_figure(out: Path) -> Path:
    """A perceptron: inputs x1..xn, weights w1..wn, a sum, a step, the output."""
    figure, ax = _diagram((9, 4.6), (-0.6, 10.2), (-0.9, 4.6))

    sum_xy = (4.6, 2.0)
    total = _node(ax, sum_xy, r"$\Sigma$", radius=0.6, colour=ORANGE, size=22)
    inputs = [(r"$x_1$", r"$w_1$", 3.8), (r"$x_2$", r"$w_2$", 2.6), (r"$x_n$", r"$w_n$", 0.2)]
    for label, weight, y in inputs:
        node = _node(ax, (0.6, y), label)
        _arrow(ax, (0.6, y), sum_xy, patch_a=node, patch_b=total)
        # Label each weight on its arrow, a little way along it.
        wx, wy = 0.6 + 0.42 * (sum_xy[0] - 0.6), y + 0.42 * (sum_xy[1] - y)
        ax.text(
            wx,
            wy + 0.28,
            weight,
            ha="center",
            va="center",
            fontsize=14,
            color=BLUE,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
        )
    ax.text(0.6, 1.45, r"$\vdots$", ha="center", va="center", fontsize=18)
    ax.text(0.6, -0.65, "inputs", ha="center", fontsize=12)
    ax.text(2.4, -0.65, "weights", ha="center", fontsize=12, color=BLUE)
    ax.text(
        sum_xy[0],
        0.95,
        "weighted sum\n" + r"$w_1x_1 + \dots + w_nx_n$",
        ha="center",
        va="top",
        fontsize=11,
    )

    # The step activation: a box holding a small step-function graph.
    box = FancyBboxPatch(
        (6.2, 1.3),
        1.6,
        1.4,
        boxstyle="round,pad=0.05",
        facecolor="white",
        edgecolor="black",
        linewidth=1.5,
        zorder=3,
    )
    ax.add_patch(box)
    ax.plot(
        [6.35, 7.0, 7.0, 7.65], [1.55, 1.55, 2.45, 2.45], color=VERMILLION, linewidth=2.5, zorder=4
    )
    ax.plot([7.0], [1.55], marker="|", color=GREY, markersize=8, zorder=4)
    ax.text(
        7.0,
        1.15,
        "step activation\n1 if sum ≥ threshold,\nelse 0",
        ha="center",
        va="top",
        fontsize=11,
    )
    _arrow(ax, sum_xy, (6.2, 2.0), patch_a=total)

    output = _node(ax, (9.4, 2.0), r"$y$", colour=GREEN)
    _arrow(ax, (7.85, 2.0), (9.4, 2.0), patch_b=output)
    ax.text(9.4, 1.45, "output\n0 or 1", ha="center", va="top", fontsize=11)
    return _save(figure, out / "perceptron.svg")


def multilayer_perceptron_figure(out: Path) -> Path:
    """A network with an input layer (3), a hidden layer (4) and an output layer (2)."""
    figure, ax = _diagram((8, 5.4), (-1.0, 9.0), (-1.2, 5.6))
    layers = [
        ("input layer", 0.5, [r"$x_1$", r"$x_2$", r"$x_3$"], SKY_BLUE),
        ("hidden layer", 4.0, ["", "", "", ""], ORANGE),
        ("output layer", 7.5, [r"$y_1$", r"$y_2$"], GREEN),
    ]
    drawn = []
    for name, x, labels, colour in layers:
        count = len(labels)
        ys = [2.2 + 1.3 * (index - (count - 1) / 2) for index in range(count)][::-1]
        nodes = [
            (_node(ax, (x, y), label, colour=colour), (x, y))
            for label, y in zip(labels, ys, strict=True)
        ]
        drawn.append(nodes)
        ax.text(x, 5.0, name, ha="center", va="center", fontsize=13, fontweight="bold")
    for left, right in zip(drawn, drawn[1:], strict=False):
        for node_a, xy_a in left:
            for node_b, xy_b in right:
                _arrow(ax, xy_a, xy_b, patch_a=node_a, patch_b=node_b, colour=GREY, width=1.0)
    ax.text(
        4.0,
        -0.9,
        "each arrow has its own weight; information flows left to right",
        ha="center",
        fontsize=11,
        color=GREY,
    )
    return _save(figure, out / "multilayer_perceptron.svg")


def kfold_figure(out: Path) -> Path:
    """Four-fold cross-validation of eight items: which items each fold tests on."""
    folds = len(KFOLD_TEST_ITEMS)
    figure, ax = plt.subplots(figsize=(8, 3.8))
    ax.set_xlim(-1.6, KFOLD_ITEMS + 0.2)
    ax.set_ylim(folds + 0.2, -1.0)
    ax.axis("off")
    train = {"facecolor": SKY_BLUE, "hatch": None}
    test = {"facecolor": ORANGE, "hatch": "//"}
    for fold, test_items in KFOLD_TEST_ITEMS.items():
        row = fold - 1
        ax.text(-0.2, row + 0.4, f"fold {fold}", ha="right", va="center", fontsize=13)
        for item in range(1, KFOLD_ITEMS + 1):
            style = test if item in test_items else train
            box = FancyBboxPatch(
                (item - 1 + 0.06, row + 0.08),
                0.88,
                0.64,
                boxstyle="round,pad=0,rounding_size=0.08",
                edgecolor="black",
                linewidth=1.2,
                **style,
            )
            ax.add_patch(box)
            ax.text(
                item - 0.5,
                row + 0.4,
                str(item),
                ha="center",
                va="center",
                fontsize=13,
                fontweight="bold",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5, "alpha": 0.85},
            )
    ax.text(KFOLD_ITEMS / 2, -0.45, "items 1 to 8", ha="center", va="center", fontsize=12)
    handles = [
        Patch(facecolor=SKY_BLUE, edgecolor="black", label="training item"),
        Patch(facecolor=ORANGE, edgecolor="black", hatch="//", label="test item"),
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=2,
        frameon=False,
        fontsize=12,
        handlelength=2.5,
        handleheight=1.4,
    )
    return _save(figure, out / "kfold.svg")


#: Every figure the lesson uses, in the order they are drawn.
FIGURES = [perceptron_figure, multilayer_perceptron_figure, kfold_figure]


def main(argv: list[str] | None = None) -> list[Path]:
    """Draw every figure into ``--out`` (default: the lesson's ``fig/`` folder)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=FIG, help="folder to write into")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with matplotlib.rc_context(STYLE):
        written = [draw(args.out) for draw in FIGURES]
    for path in written:
        print(f"wrote {path}")
    return written


if __name__ == "__main__":
    main()
