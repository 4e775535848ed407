"""Draw every diagram in the lesson's ``fig/`` folder, the same way every time.

Usage::

    python tools/make_figures.py              # write into fig/
    python tools/make_figures.py --out DIR    # write somewhere else (the tests do)

Matplotlib normally writes the date and random ids into an SVG; here the ids come from a
fixed salt and the date is left out, so running the script twice gives byte-for-byte the
same files (``tests/test_figures.py`` compares a fresh drawing with the committed ones).
"""

from __future__ import annotations

import argparse
from itertools import pairwise
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Patch
from nn_helpers.plots import COLOURS
from project import FIG
from sklearn.model_selection import KFold

#: Okabe & Ito's colour-blind-safe colours, as the notebooks' plots use them.
BLUE, SKY_BLUE, ORANGE = COLOURS["blue"], COLOURS["sky blue"], COLOURS["orange"]
VERMILLION, GREEN = COLOURS["vermillion"], COLOURS["bluish green"]
GREY = "#555555"

#: Settings that make the SVGs the same on every run (a fixed salt for the ids and the
#: font matplotlib ships with, drawn as outlines).
STYLE = {
    "svg.hashsalt": "nn-lesson",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "mathtext.fontset": "dejavusans",
    "font.size": 12,
    "hatch.linewidth": 1.5,
    "legend.handlelength": 2.5,
    "legend.handleheight": 1.4,
}

#: Text is centred on its position unless a caption says otherwise; a white box keeps a
#: label readable where it crosses a line.
CENTRED = {"ha": "center", "va": "center"}
WHITE_BOX = {"facecolor": "white", "edgecolor": "none", "pad": 1}
ARROW = {"arrowstyle": "-|>", "mutation_scale": 14, "shrinkA": 2, "shrinkB": 2, "zorder": 2}


def diagram(size: tuple[float, float], xlim: tuple[float, float], ylim: tuple[float, float]):
    """A blank figure for a diagram: equal axis scales, no axes drawn."""
    figure = Figure(figsize=size)
    ax = figure.add_subplot(xlim=xlim, ylim=ylim, aspect="equal")
    ax.axis("off")
    return figure, ax


def node(ax, xy, text, radius=0.32, colour=SKY_BLUE, size=13) -> Circle:
    """Draw a labelled circle and return it (arrows attach to its edge)."""
    circle = Circle(xy, radius, facecolor=colour, edgecolor="black", linewidth=1.5, zorder=3)
    ax.add_patch(circle)
    ax.text(*xy, text, fontsize=size, zorder=4, **CENTRED)
    return circle


def arrow(ax, start, end, colour="black", width=1.4) -> None:
    """Draw an arrow between two points or circles, from edge to edge of a circle."""
    points = [at.center if isinstance(at, Circle) else at for at in (start, end)]
    circles = [at if isinstance(at, Circle) else None for at in (start, end)]
    line = {"color": colour, "linewidth": width}
    ax.add_patch(FancyArrowPatch(*points, patchA=circles[0], patchB=circles[1], **line, **ARROW))


def perceptron_figure() -> Figure:
    """A perceptron: inputs x1..xn, weights w1..wn, a sum, a step, the output."""
    figure, ax = diagram((9, 4.6), (-0.6, 10.2), (-0.9, 4.6))
    total = node(ax, (4.6, 2.0), r"$\Sigma$", radius=0.6, colour=ORANGE, size=22)
    for label, weight, y in [
        ("$x_1$", "$w_1$", 3.8),
        ("$x_2$", "$w_2$", 2.6),
        ("$x_n$", "$w_n$", 0.2),
    ]:
        arrow(ax, node(ax, (0.6, y), label), total)
        # Each weight sits on its arrow, 0.42 of the way to the sum.
        along = (0.6 + 0.42 * (4.6 - 0.6), y + 0.42 * (2.0 - y) + 0.28)
        ax.text(*along, weight, fontsize=14, color=BLUE, bbox=WHITE_BOX, **CENTRED)

    # The step activation: a box holding a small step-function graph.
    box = FancyBboxPatch((6.2, 1.3), 1.6, 1.4, boxstyle="round,pad=0.05", facecolor="white")
    box.set(edgecolor="black", linewidth=1.5, zorder=3)
    ax.add_patch(box)
    ax.plot([6.35, 7.0, 7.0, 7.65], [1.55, 1.55, 2.45, 2.45], color=VERMILLION, lw=2.5, zorder=4)
    ax.plot([7.0], [1.55], marker="|", color=GREY, markersize=8, zorder=4)
    arrow(ax, total, (6.2, 2.0))
    arrow(ax, (7.85, 2.0), node(ax, (9.4, 2.0), "$y$", colour=GREEN))

    below = {"va": "top", "fontsize": 11}
    for x, y, text, options in [
        (0.6, 1.45, r"$\vdots$", {"fontsize": 18}),
        (0.6, -0.65, "inputs", {"va": "baseline"}),
        (2.4, -0.65, "weights", {"va": "baseline", "color": BLUE}),
        (4.6, 0.95, "weighted sum\n" + r"$w_1x_1 + \dots + w_nx_n$", below),
        (7.0, 1.15, "step activation\n1 if sum ≥ threshold,\nelse 0", below),
        (9.4, 1.45, "output\n0 or 1", below),
    ]:
        ax.text(x, y, text, **{**CENTRED, **options})
    return figure


def multilayer_perceptron_figure() -> Figure:
    """A network with an input layer (3), a hidden layer (4) and an output layer (2)."""
    figure, ax = diagram((8, 5.4), (-1.0, 9.0), (-1.2, 5.6))
    layers = [
        ("input layer", 0.5, ["$x_1$", "$x_2$", "$x_3$"], SKY_BLUE),
        ("hidden layer", 4.0, ["", "", "", ""], ORANGE),
        ("output layer", 7.5, ["$y_1$", "$y_2$"], GREEN),
    ]
    drawn = []
    for name, x, labels, colour in layers:
        # Nodes 1.3 apart, centred on y = 2.2, the first at the top.
        top = 2.2 + 1.3 * (len(labels) - 1) / 2
        drawn.append(
            [node(ax, (x, top - 1.3 * i), text, colour=colour) for i, text in enumerate(labels)]
        )
        ax.text(x, 5.0, name, fontsize=13, fontweight="bold", **CENTRED)
    for left, right in pairwise(drawn):
        for start in left:
            for end in right:
                arrow(ax, start, end, colour=GREY, width=1.0)
    caption = "each arrow has its own weight; information flows left to right"
    ax.text(4.0, -0.9, caption, ha="center", fontsize=11, color=GREY)
    return figure


def kfold_figure() -> Figure:
    """Four-fold cross-validation of eight items, as scikit-learn's ``KFold(4)`` splits them."""
    items = range(1, 9)
    folds = list(KFold(4).split(items))
    figure = Figure(figsize=(8, 3.8))
    ax = figure.add_subplot(xlim=(-1.6, len(items) + 0.2), ylim=(len(folds) + 0.2, -1.0))
    ax.axis("off")
    train = {"facecolor": SKY_BLUE, "hatch": None, "edgecolor": "black"}
    test = {"facecolor": ORANGE, "hatch": "//", "edgecolor": "black"}
    shape = {"boxstyle": "round,pad=0,rounding_size=0.08", "linewidth": 1.2}
    number = {
        "fontsize": 13,
        "fontweight": "bold",
        "bbox": {**WHITE_BOX, "pad": 1.5, "alpha": 0.85},
    }
    for row, (_, tested) in enumerate(folds):
        ax.text(-0.2, row + 0.4, f"fold {row + 1}", ha="right", va="center", fontsize=13)
        for position, item in enumerate(items):
            style = test if position in tested else train
            ax.add_patch(
                FancyBboxPatch((position + 0.06, row + 0.08), 0.88, 0.64, **shape, **style)
            )
            ax.text(position + 0.5, row + 0.4, str(item), **number, **CENTRED)
    ax.text(len(items) / 2, -0.45, "items 1 to 8", **CENTRED)
    handles = [Patch(label="training item", **train), Patch(label="test item", **test)]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=2, frameon=False)
    return figure


#: Every figure the lesson uses, by file name.
FIGURES = {
    "perceptron.svg": perceptron_figure,
    "multilayer_perceptron.svg": multilayer_perceptron_figure,
    "kfold.svg": kfold_figure,
}


def main(argv: list[str] | None = None) -> list[Path]:
    """Draw every figure into ``--out`` (default: the lesson's ``fig/`` folder)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=FIG, help="folder to write into")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    written = []
    with matplotlib.rc_context(STYLE):
        for name, draw in FIGURES.items():
            draw().savefig(args.out / name, metadata={"Date": None}, bbox_inches="tight")
            written.append(args.out / name)
            print(f"wrote {args.out / name}")
    return written


if __name__ == "__main__":
    main()
