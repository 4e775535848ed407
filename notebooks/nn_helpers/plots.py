"""Plot chrome for the lesson: colour-blind-safe colours, marker shapes, digit pictures.

Each function draws on ``ax`` (a new figure when it is not given) and returns
the Axes, so plots can be combined. Colours are Okabe and Ito's palette, and
classes and lines also differ by marker or hatching, so nothing depends on colour.

Digits are drawn as their numbers say, everywhere in the lesson: 0 is black and
the highest value white, so the ink shows white on black, as MNIST stores it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import cycler

#: Okabe & Ito's colour-blind-safe palette.
COLOURS = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "black": "#000000",
}

#: Colour and marker of output 0 and output 1 in two-class plots.
CLASS_STYLES = {
    0: {"color": COLOURS["vermillion"], "marker": "o", "label": "output 0"},
    1: {"color": COLOURS["blue"], "marker": "s", "label": "output 1"},
}

#: One colour and marker per line, for several lines in one plot (a matplotlib cycler).
LINE_STYLES = cycler(
    color=[COLOURS[name] for name in ("blue", "orange", "bluish green", "vermillion", "black")],
    marker=["o", "s", "^", "D", "v"],
)


def _axes(ax, figsize, panels: int = 1, **options):
    """``ax`` itself, or a new figure's Axes (a row of ``panels``; ``options`` for subplots)."""
    return plt.subplots(1, panels, figsize=figsize, **options)[1] if ax is None else ax


def plot_digit(pixels, ax=None, title: str | None = None):
    """Draw one digit: 784 values (0-255 or 0-1) as a 28 x 28 picture, ink white on black.

    A 2-D picture of another size, such as a step of :func:`plot_steps`, is drawn as it is.
    """
    image = np.asarray(pixels, dtype=float)
    image = image if image.ndim == 2 else image.reshape(28, 28)
    ax = _axes(ax, (2, 2))
    ax.imshow(image, cmap="gray", vmin=0, vmax=255 if image.max() > 1 else 1)
    ax.set(xticks=[], yticks=[])
    if title is not None:
        ax.set_title(title, fontsize=9)
    return ax


def plot_digits(images, titles: Sequence[str] | None = None, columns: int = 10):
    """Draw a grid of digits, one per row of ``images``, and return the Figure.

    Examples
    --------
    >>> figure = plot_digits(data.iloc[:20], titles=labels.iloc[:20])  # doctest: +SKIP
    """
    rows = np.asarray(images, dtype=float).reshape(-1, 784)
    titles = [None] * len(rows) if titles is None else [str(title) for title in titles]
    if len(titles) != len(rows):
        raise ValueError(f"got {len(rows)} digits but {len(titles)} titles; give one per digit")
    columns = max(1, min(columns, len(rows)))
    lines = max((title or "").count("\n") + 1 for title in titles)
    figure, axes = plt.subplots(
        -(-len(rows) // columns),
        columns,
        figsize=(1.2 * columns, (1.15 + 0.2 * lines) * -(-len(rows) // columns)),
        squeeze=False,
        layout="constrained",
    )
    for ax in axes.flat[len(rows) :]:
        ax.axis("off")
    for ax, row, title in zip(axes.flat, rows, titles, strict=False):
        plot_digit(row, ax=ax, title=title)
    return figure


def plot_steps(steps: Mapping[str, np.ndarray]):
    """Draw the pictures ``load_digit_image(path, return_steps=True)`` gives, in a row, and
    return the Axes. Values show as they are, like :func:`plot_digit`: 0 black, 255 white.

    >>> plot_steps(load_digit_image("../data/digit-4-photo.jpg", True)[1])  # doctest: +SKIP
    """
    axes = np.ravel(_axes(None, (1.7 * len(steps), 2.0), len(steps)))
    for ax, (name, picture) in zip(axes, steps.items(), strict=True):
        plot_digit(picture, ax=ax, title=f"{name}\n{picture.shape[1]} x {picture.shape[0]}")
    return axes


def plot_probabilities(probabilities, classes, ax=None, title: str | None = None):
    """Bar chart of a classifier's probability for each class; the top bar is hatched.

    Examples
    --------
    >>> plot_probabilities(model.predict_proba(digit)[0], model.classes_)  # doctest: +SKIP
    """
    probabilities = np.asarray(probabilities, dtype=float).ravel()
    ax = _axes(ax, (4, 2))
    best = int(probabilities.argmax())
    bars = ax.bar([str(c) for c in classes], probabilities, color=COLOURS["sky blue"])
    bars[best].set(color=COLOURS["blue"], hatch="//", edgecolor="white")
    ax.set_ylim(0, 1)
    ax.set_xlabel("digit")
    ax.set_ylabel("probability")
    ax.set_title(title if title is not None else f"most likely {classes[best]}", fontsize=10)
    return ax


def plot_truth_table(
    inputs, outputs, weights=None, threshold=None, ax=None, title=None, point_labels=None
):
    """Plot two-input rows by output (colour and marker), with a perceptron's decision line.

    Given ``weights`` and ``threshold``, the side where the perceptron fires is
    shaded and its line ``w1 * x1 + w2 * x2 = threshold`` is dashed.
    ``point_labels`` writes a text under each point.

    Examples
    --------
    >>> plot_truth_table([[0, 0], [0, 1], [1, 1]], [0, 1, 1], [0.5, 0.5], 0.5)  # doctest: +SKIP
    """
    rows, outputs = np.asarray(inputs, dtype=float), np.asarray(outputs)
    if rows.ndim != 2 or rows.shape[1] != 2 or len(outputs) != len(rows):
        raise ValueError("give rows of two inputs and one output (0 or 1) per row")
    ax = _axes(ax, (3.5, 3.5))
    low, high = min(-0.5, rows.min() - 0.5), max(1.5, rows.max() + 0.5)
    if weights is not None:
        (w1, w2), grid = weights, np.linspace(low, high, 201)
        fires = w1 * grid[None, :] + w2 * grid[:, None] >= threshold
        ax.contourf(
            grid,
            grid,
            fires,
            levels=[-0.5, 0.5, 1.5],
            alpha=0.12,
            colors=[CLASS_STYLES[0]["color"], CLASS_STYLES[1]["color"]],
        )
        for output, label in ((1, "perceptron fires"), (0, "perceptron stays off")):
            ax.fill_between([], [], color=CLASS_STYLES[output]["color"], alpha=0.12, label=label)
        if w2 != 0:
            ax.plot(grid, (threshold - w1 * grid) / w2, "k--", label="decision line")
        elif w1 != 0:
            ax.axvline(threshold / w1, color="k", ls="--", label="decision line")
    for output, style in CLASS_STYLES.items():
        chosen = rows[outputs == output]
        if len(chosen):
            ax.scatter(*chosen.T, s=120, edgecolors="black", zorder=3, **style)
    texts: dict[tuple, list[str]] = {}
    for point, text in zip(map(tuple, rows), point_labels or [], strict=False):
        texts.setdefault(point, []).append(str(text))
    for point, lines in texts.items():
        ax.annotate(
            "\n".join(lines),
            point,
            xytext=(0, -14),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=8,
            bbox={"color": "white", "pad": 1},
        )
    ax.set(xlim=(low, high), ylim=(low, high), xlabel="input 1", ylabel="input 2", aspect="equal")
    ax.set_xticks([0, 1])
    ax.set_yticks([0, 1])
    if title is not None:
        ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)
    return ax


def plot_curves(curves: Mapping[str, Sequence[float]], ylabel: str, ax=None, log_scale=False):
    """Draw one line per entry of ``curves`` (label -> one value per epoch).

    Lines differ by colour and by marker. Use it for a perceptron's mistakes per
    epoch or an ``MLPClassifier``'s ``loss_curve_``.

    Examples
    --------
    >>> plot_curves({"(50,)": mlp.loss_curve_}, ylabel="training loss")  # doctest: +SKIP
    """
    if len(curves) > len(LINE_STYLES):
        raise ValueError(f"got {len(curves)} curves; draw at most {len(LINE_STYLES)} per plot")
    ax = _axes(ax, (6, 3.2))
    every = max(1, max(len(values) for values in curves.values()) // 12)
    ax.set_prop_cycle(LINE_STYLES)
    for label, values in curves.items():
        epochs = np.arange(1, len(values) + 1)
        ax.plot(epochs, values, markevery=every, markersize=5, label=label)
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel("epoch (one pass over the training data)")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8, frameon=False)
    return ax


def plot_activations(activations: Mapping[str, tuple], z, ax=None):
    """Draw each activation function (solid) and its slope (dashed), one panel each.

    ``activations`` maps a name to ``(values, slopes)`` computed at the points ``z``.
    """
    panels = len(activations)
    ax = _axes(ax, (3 * panels, 3), panels, sharey=True, layout="constrained")
    for axis, (name, (values, slopes)) in zip(np.ravel(ax), activations.items(), strict=True):
        axis.plot(z, values, color=COLOURS["blue"], label="activation")
        axis.plot(z, slopes, "--", color=COLOURS["orange"], label="slope")
        axis.axhline(0, color="grey", linewidth=0.5)
        axis.set(title=name, xlabel="weighted sum", ylim=(-1.2, 2.2))
    np.ravel(ax)[0].legend(loc="upper left", fontsize=8)
    return ax


#: Colour and hatching of training and test items in :func:`plot_folds`.
FOLD_STYLES = {
    "train": {"facecolor": COLOURS["blue"], "hatch": ""},
    "test": {"facecolor": COLOURS["orange"], "hatch": "///"},
}


def plot_folds(splits, item_labels=None, ax=None):
    """Draw which items each cross-validation fold trains (blue) and tests on (orange, hatched).

    ``splits`` is a list of (train positions, test positions), as
    ``list(KFold(4).split(items))`` gives it.

    Examples
    --------
    >>> plot_folds(list(KFold(4).split(items)), item_labels=items)  # doctest: +SKIP
    """
    from matplotlib.patches import Patch, Rectangle

    splits = [(np.asarray(train), np.asarray(test)) for train, test in splits]
    n_items = 1 + max(int(np.max(np.concatenate(pair))) for pair in splits)
    labels = list(range(n_items)) if item_labels is None else list(item_labels)
    if len(labels) < n_items:
        raise ValueError(f"the folds use {n_items} items but item_labels has {len(labels)}")
    ax = _axes(ax, (0.45 * len(labels) + 1.6, 0.45 * len(splits) + 0.9))
    for row, pair in enumerate(splits):
        for style, positions in zip(FOLD_STYLES.values(), pair, strict=True):
            for position in positions:
                ax.add_patch(Rectangle((position, row), 1, 1, edgecolor="white", **style))
    ax.set(xlim=(0, len(labels)), ylim=(len(splits), 0))
    ax.set_xticks(np.arange(len(labels)) + 0.5, [str(label) for label in labels])
    ax.set_yticks(np.arange(len(splits)) + 0.5, [f"fold {k}" for k in range(1, len(splits) + 1)])
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    handles = [Patch(label=kind, **style) for kind, style in FOLD_STYLES.items()]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return ax
