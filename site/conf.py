"""Sphinx settings for the lesson's website.

``tools/build_site.py`` copies this folder, with the lesson's notebooks and
documents, into ``_build/site-src`` and builds that copy into ``_build/html``.
Everything the pages load (theme, fonts, icons, search, MathJax) is served
from the built folder itself: nothing comes from the internet.
"""

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
# No ipywidgets JavaScript from a CDN, even if a notebook saved widget state.
# Widgets (e.g. a drawing pad) need a running kernel: tools/build_site.py puts
# a sentence in their place.
nb_ipywidgets_js = {}

# Math in Markdown ($...$) renders with a copy of MathJax inside the site
# (tools/build_site.py copies it from sphinx-mathjax-offline when a page has
# math), never the CDN that Sphinx uses by default.
myst_enable_extensions = ["dollarmath", "amsmath"]
mathjax_path = "mathjax/tex-chtml.js"
# Headings get anchors, so links such as instructors.md#a-half-day-schedule work.
myst_heading_anchors = 3

html_theme = "sphinx_book_theme"
html_title = project
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    # Downloads are the links on each page to the original notebook and
    # handout; the theme's own button would offer the site's copy.
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
