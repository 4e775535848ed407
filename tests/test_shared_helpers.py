"""Tests for the shared plotting and output helpers in nn_helpers."""

import warnings

import matplotlib.pyplot as plt
import nn_helpers
import numpy as np
import pandas as pd
import pytest


def test_digit_image_reshapes_784_values_to_28_by_28():
    row = pd.Series(np.arange(784) % 256, index=nn_helpers.PIXEL_COLUMNS)
    image = nn_helpers.digit_image(row)
    assert image.shape == (28, 28)
    assert image[1, 0] == 28  # row-major, like MNIST


def test_digit_image_rejects_the_wrong_number_of_pixels():
    with pytest.raises(ValueError, match="784 pixels"):
        nn_helpers.digit_image(np.zeros(783))


def test_plot_digit_draws_on_the_given_axes_and_returns_them():
    _, ax = plt.subplots()
    returned = nn_helpers.plot_digit(np.zeros(784), ax=ax, title="label: 3")
    assert returned is ax
    assert ax.get_title() == "label: 3"
    assert len(ax.images) == 1


def test_plot_digit_scales_raw_and_normalised_pixels_the_same_way():
    raw = nn_helpers.plot_digit(np.full(784, 255.0))
    normalised = nn_helpers.plot_digit(np.full(784, 1.0))
    assert raw.images[0].get_clim() == (0.0, 255.0)
    assert normalised.images[0].get_clim() == (0.0, 1.0)


def test_plot_digits_makes_one_panel_per_digit_with_titles():
    figure = nn_helpers.plot_digits(np.zeros((12, 784)), titles=[str(i) for i in range(12)])
    drawn = [ax for ax in figure.axes if ax.images]
    assert len(drawn) == 12
    assert [ax.get_title() for ax in drawn] == [str(i) for i in range(12)]


def test_plot_digits_gives_two_line_titles_more_room():
    one = nn_helpers.plot_digits(np.zeros((2, 784)), titles=["a", "b"])
    two = nn_helpers.plot_digits(np.zeros((2, 784)), titles=["a\nb", "c\nd"])
    assert two.get_figheight() > one.get_figheight()


def test_plot_digits_rejects_mismatched_titles():
    with pytest.raises(ValueError, match="3 images but 2 titles"):
        nn_helpers.plot_digits(np.zeros((3, 784)), titles=["a", "b"])


def test_plot_digits_rejects_rows_that_are_not_digits():
    with pytest.raises(ValueError, match="784 pixels per row"):
        nn_helpers.plot_digits(np.zeros((3, 10)))


def test_print_warnings_prints_each_warning_once_as_a_plain_line(capsys):
    with nn_helpers.print_warnings():
        for _ in range(3):
            warnings.warn("training stopped early", UserWarning, stacklevel=1)
    assert capsys.readouterr().out == "Warning (UserWarning): training stopped early\n"


def test_print_warnings_lets_no_warning_escape(recwarn, capsys):
    with nn_helpers.print_warnings():
        warnings.warn("inside", RuntimeWarning, stacklevel=1)
    assert len(recwarn) == 0
    assert "inside" in capsys.readouterr().out


def test_class_styles_differ_by_marker_as_well_as_colour():
    styles = nn_helpers.CLASS_STYLES
    assert styles[0]["marker"] != styles[1]["marker"]
    assert styles[0]["color"] != styles[1]["color"]
    assert len(set(nn_helpers.LINE_MARKERS)) == len(nn_helpers.LINE_MARKERS)
    assert len(nn_helpers.LINE_COLOURS) == len(nn_helpers.LINE_MARKERS)


def test_perceptron_rejects_nested_lists():
    with pytest.raises(ValueError, match="flat list"):
        nn_helpers.perceptron([[1, 0]], [0.5], 0.5)
