"""Sphinx settings for the lesson's website.

``tools/build_site.py`` copies this folder, with the lesson's notebooks and
documents, into ``_build/site-src`` and builds that copy into ``_build/html``.
Everything the pages load (theme, fonts, icons, search) is served from the
built folder itself: nothing comes from the internet.

What a notebook page shows is decided here and by the notebooks' own cell
metadata: the tag ``hide-cell`` (on every solution) collapses a cell,
``remove-cell`` (on every empty exercise cell) leaves it out, and
``mystnb.image.alt`` is the alt text of a cell's pictures.
"""

from html import escape

from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput

project = "Neural networks with scikit-learn"
author = "the lesson's authors"
copyright = "the lesson's authors; text and figures CC BY 4.0, code MIT"

extensions = ["myst_nb"]

root_doc = "index"
# Only these are pages; every other staged file (LICENSE, handouts, figures)
# is a picture or a download that a page links to.
include_patterns = [
    "index.md",
    "setup.md",
    "instructors.md",
    "CONTRIBUTING.md",
    "BENCHMARK.md",
    "notebooks/[0-9][0-9]-*.ipynb",
]
exclude_patterns = []

# Notebooks are never executed: their saved outputs are the pictures.
nb_execution_mode = "off"
# Widgets (such as the drawing pad) need a running kernel. Pages show the widget's
# own description (its text/plain output) instead, and load no widget JavaScript.
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
nb_ipywidgets_js = {}
# The cells tagged hide-cell are the solutions.
nb_code_prompt_show = "Show the solution"
nb_code_prompt_hide = "Hide the solution"

# Headings get anchors, so links such as instructors.md#a-half-day-schedule work.
myst_heading_anchors = 3

html_theme = "sphinx_book_theme"
# search-button-field.html: the theme's search button, named by its visible words.
templates_path = ["_templates"]
html_title = project
# Two inputs and a neuron; without an icon, browsers ask every site for /favicon.ico.
html_favicon = "_static/favicon.svg"
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    # The original notebooks and handouts are downloads in the home page's table
    # of episodes; the theme's own button would offer the site's copy.
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "use_edit_page_button": False,
    "use_issues_button": False,
    "use_source_button": False,
    "launch_buttons": {},
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "search_bar_text": "Search the lesson...",
}
# Light or dark pages follow the reader's system setting.
html_context = {"default_mode": "auto"}


def visit_hidden_cell(self, node: HideCodeCellNode) -> None:
    """Open a collapsed cell as myst-nb does, but let its visible prompt name the toggle.

    myst-nb labels every toggle "Toggle hidden content", which differs from the
    words shown ("Show the solution"): speech users could not say what they see
    (WCAG 2.5.3, axe-core's rule label-content-name-mismatch).
    """
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    for state, prompt in (("collapsed", node["prompt_show"]), ("expanded", node["prompt_hide"])):
        self.body.append(f'<p class="{state} admonition-title">{escape(prompt)}</p>\n')
    self.body.append("</summary>\n")


def setup(app):
    """Replace myst-nb's HTML for collapsed cells (see ``visit_hidden_cell``)."""
    app.add_node(HideCodeCellNode, override=True, html=(visit_hidden_cell, depart_HideCellInput))
