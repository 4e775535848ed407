"""Tests for the lesson's website: tools/build_site.py, and the site it builds in _build/html.

The site is built once per test run (unless ``_build/html`` is newer than all of
its sources). The tests marked ``browser`` serve it on localhost and open every
page in Chromium.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import re
import shutil
import subprocess
import threading
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import build_site
import pytest
from project import HANDOUTS, KERNELSPEC, NOTEBOOKS, ROOT, episode_notebooks

# -- reading built pages ----------------------------------------------------------


class Page(HTMLParser):
    """The tags of one HTML page that matter here: what it loads, links and shows."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.styles: list[str] = []
        self.texts: list[str] = []
        self._in_style = False
        self.text = text
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        self.styles.append(attributes.get("style", ""))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        (self.styles if self._in_style else self.texts).append(data)

    def find(self, tag: str) -> list[dict[str, str]]:
        """Attributes of every ``tag`` on the page."""
        return [attributes for name, attributes in self.tags if name == tag]

    def title(self) -> str:
        """The page's ``<title>``, before the site name."""
        match = re.search(r"<title>(.*?)</title>", self.text, re.S)
        return plain(match.group(1).split("&#8212;")[0]) if match else ""

    def words(self) -> str:
        """The page's text, as plain words."""
        return plain(" ".join(self.texts))


def plain(text: str) -> str:
    """Text with entities decoded, straight quotes and single spaces, to compare with."""
    text = html.unescape(text).translate(str.maketrans("‘’“”", "''\"\""))
    return " ".join(text.split())


def pages(site: Path) -> dict[str, Page]:
    """Every HTML page of the site, by path relative to the site's folder."""
    return {
        path.relative_to(site).as_posix(): Page(path.read_text(encoding="utf-8"))
        for path in sorted(site.rglob("*.html"))
        if "_static" not in path.parts
    }


#: A CSS ``url(...)`` or ``@import`` that reaches the internet.
REMOTE_CSS = re.compile(r"""(url\(\s*['"]?|@import\s+['"])\s*(https?:)?//""", re.I)


def remote_loads(page: Page) -> list[str]:
    """Whatever ``page`` would load from the internet (scripts, styles, images, frames)."""
    found = []
    for tag, attributes in page.tags:
        sources = [attributes.get("src", ""), attributes.get("srcset", "")]
        if tag == "link" and attributes.get("rel", "") not in {"next", "prev", "index", "search"}:
            sources.append(attributes.get("href", ""))
        if tag == "object":
            sources.append(attributes.get("data", ""))
        found += [f"<{tag}> {source}" for source in sources if re.match(r"(https?:)?//", source)]
    found += [f"CSS {style[:80]}" for style in page.styles if REMOTE_CSS.search(style)]
    return found


# -- the site, built once ---------------------------------------------------------


@pytest.fixture(scope="session")
def site() -> Path:
    """The built site's folder, built now if missing or older than its sources."""
    if not build_site.is_current(build_site.SITE_HTML):
        build_site.build(build_site.SITE_HTML)
    return build_site.SITE_HTML


@pytest.fixture(scope="session")
def site_pages(site) -> dict[str, Page]:
    return pages(site)


def test_site_has_a_home_page_an_instructors_page_and_a_page_for_each_episode(site_pages):
    titles = {page.title(): path for path, page in site_pages.items()}
    assert "index.html" in site_pages
    assert titles.get("Instructor notes") == "instructors.html"
    for notebook in episode_notebooks(NOTEBOOKS):
        title = plain(build_site.read_episode(notebook).title)
        assert titles.get(title) == f"notebooks/{notebook.stem}.html", title


def test_home_page_lists_every_episode_with_the_minutes_from_its_notebook(site_pages):
    text = site_pages["index.html"].words()
    episodes = [build_site.read_episode(path) for path in episode_notebooks(NOTEBOOKS)]
    for number, episode in enumerate(episodes, start=1):
        row = f"{number}. {plain(episode.title)} {episode.teaching} min {episode.exercises} min"
        assert row in text
    teaching = sum(episode.teaching for episode in episodes)
    exercises = sum(episode.exercises for episode in episodes)
    assert f"Total {teaching} min {exercises} min" in text


def downloads(site: Path, page: Page) -> list[Path]:
    """The files a page offers for download."""
    return [
        site / unquote(link["href"])
        for link in page.find("a")
        if link.get("href", "").startswith("_downloads/")
    ]


def test_home_page_offers_every_notebook_and_handout_unchanged_for_download(site, site_pages):
    offered = downloads(site, site_pages["index.html"])
    for folder in (NOTEBOOKS, HANDOUTS):
        for original in episode_notebooks(folder):
            links = [
                path
                for path in offered
                if path.name == original.name and path.read_bytes() == original.read_bytes()
            ]
            assert links, f"no download of {original.relative_to(ROOT)}"


def test_home_page_offers_the_whole_lesson_as_a_zip_of_its_tracked_files(site, site_pages):
    [archive] = [
        path
        for path in downloads(site, site_pages["index.html"])
        if path.name == f"{build_site.LESSON_ZIP}.zip"
    ]
    names = set(zipfile.ZipFile(archive).namelist())
    prefix = build_site.LESSON_ZIP + "/"
    assert {prefix + "tools/lesson.py", prefix + "requirements.txt"} <= names
    assert prefix + "notebooks/nn_helpers/__init__.py" in names
    assert not [name for name in names if "/.venv/" in name or "/_build/" in name]


def test_no_page_loads_a_script_style_image_or_frame_from_the_internet(site, site_pages):
    remote = {path: remote_loads(page) for path, page in site_pages.items()}
    assert {path: found for path, found in remote.items() if found} == {}
    stylesheets = [path for path in site.rglob("*.css") if REMOTE_CSS.search(path.read_text())]
    assert stylesheets == []


def test_every_image_has_alt_text(site_pages):
    missing = [
        (path, image.get("src"))
        for path, page in site_pages.items()
        for image in page.find("img")
        if not image.get("alt", "").strip()
    ]
    assert missing == []


def test_every_episode_page_shows_the_pictures_saved_in_its_notebook(site_pages):
    for notebook in episode_notebooks(NOTEBOOKS):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        saved = sum(
            "image/png" in output.get("data", {})
            for cell in cells
            for output in cell.get("outputs", [])
        )
        shown = [
            image
            for image in site_pages[f"notebooks/{notebook.stem}.html"].find("img")
            if image["src"].endswith(".png") and "_images/" in image["src"]
        ]
        assert len(shown) >= saved, notebook.name


def git_status() -> str:
    return subprocess.run(
        ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def test_building_the_site_changes_no_tracked_file(tmp_path):
    before = git_status()
    build_site.build(tmp_path / "html")
    assert (tmp_path / "html" / "index.html").exists()
    assert git_status() == before


# -- building, piece by piece -----------------------------------------------------


def notebook_file(path: Path, cells: list[dict]) -> Path:
    """Write a minimal notebook holding ``cells``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    notebook = {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(notebook))
    return path


def markdown(text: str, **metadata) -> dict:
    return {
        "cell_type": "markdown",
        "id": f"m{abs(hash(text))}",
        "metadata": metadata,
        "source": text,
    }


def code(source: str, *tags: str, outputs=(), **metadata) -> dict:
    return {
        "cell_type": "code",
        "id": f"c{abs(hash(source + str(tags)))}",
        "metadata": {"tags": list(tags), **metadata},
        "source": source,
        "outputs": list(outputs),
        "execution_count": None,
    }


#: A one-pixel PNG, as a notebook stores it.
PIXEL = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9a"
    "wAAAABJRU5ErkJggg=="
)


def picture_output() -> dict:
    return {"output_type": "display_data", "metadata": {}, "data": {"image/png": PIXEL}}


OPENING = "# Title of the episode\n\n**Timing**: 15 minutes teaching, 10 minutes exercises.\n"


def test_read_episode_takes_the_title_and_minutes_from_the_opening_cell(tmp_path):
    path = notebook_file(tmp_path / "01-x.ipynb", [markdown(OPENING)])
    episode = build_site.read_episode(path)
    assert (episode.title, episode.teaching, episode.exercises) == ("Title of the episode", 15, 10)


def test_read_episode_gives_the_title_as_plain_text(tmp_path):
    text = "# Deep learning with `skorch`\n\n**Timing**: 5 minutes teaching, 5 minutes exercises."
    path = notebook_file(tmp_path / "07-x.ipynb", [markdown(text)])
    assert build_site.read_episode(path).title == "Deep learning with skorch"


def test_read_episode_accepts_the_colon_inside_the_bold_mark(tmp_path):
    text = "# T\n\n**Timing:** 20 minutes teaching, 5 minutes exercises."
    path = notebook_file(tmp_path / "01-x.ipynb", [markdown(text)])
    assert build_site.read_episode(path).teaching == 20


def test_read_episode_names_the_notebook_whose_opening_cell_has_no_timing(tmp_path):
    path = notebook_file(tmp_path / "01-x.ipynb", [markdown("# Title only")])
    with pytest.raises(build_site.SiteError, match=r"01-x\.ipynb.*Timing"):
        build_site.read_episode(path)


def test_read_episode_names_the_notebook_that_does_not_open_with_a_title(tmp_path):
    path = notebook_file(tmp_path / "01-x.ipynb", [code("x = 1")])
    with pytest.raises(build_site.SiteError, match=r"01-x\.ipynb.*# Title"):
        build_site.read_episode(path)


def test_read_episode_names_a_file_that_is_not_a_notebook(tmp_path):
    path = tmp_path / "01-x.ipynb"
    path.write_text("{ not json")
    with pytest.raises(build_site.SiteError, match=r"01-x\.ipynb.*not a readable notebook"):
        build_site.read_episode(path)


def page_cells(*cells: dict) -> list[dict]:
    """The cells of a notebook as its web page shows them."""
    text = json.dumps({"cells": [markdown(OPENING), *cells], "metadata": {}})
    return json.loads(build_site.page_notebook(text, "01-x.ipynb"))["cells"]


def alt_of(cell: dict) -> str:
    return cell["metadata"]["mystnb"]["image"]["alt"]


def test_pictures_get_the_last_sentences_of_the_markdown_above_as_alt_text():
    above = (
        "## Errors\n\nTraining takes a while. We plot the **errors** per `epoch` to see them fall."
    )
    cells = page_cells(markdown(above), code("plot()", "live", outputs=[picture_output()]))
    assert (
        alt_of(cells[-1])
        == "Training takes a while. We plot the errors per epoch to see them fall."
    )


def test_alt_text_is_cut_to_the_sentences_that_fit():
    above = "A first long sentence. " * 30 + "The figure shows the loss curve."
    cells = page_cells(markdown(above), code("plot()", "live", outputs=[picture_output()]))
    assert alt_of(cells[-1]).endswith("The figure shows the loss curve.")
    assert len(alt_of(cells[-1])) <= build_site.ALT_LIMIT


def test_alt_text_in_the_cell_metadata_is_kept():
    alt = {"mystnb": {"image": {"alt": "Loss falling from 2.3 to 0.1 over 30 epochs"}}}
    cells = page_cells(
        markdown("Some text."), code("plot()", "live", outputs=[picture_output()], **alt)
    )
    assert alt_of(cells[-1]) == "Loss falling from 2.3 to 0.1 over 30 epochs"


def test_a_picture_with_no_text_above_and_no_alt_text_stops_the_build_naming_the_notebook():
    text = json.dumps({"cells": [code("plot()", "live", outputs=[picture_output()])]})
    with pytest.raises(
        build_site.SiteError, match=r"01-x\.ipynb: the code cell starting 'plot\(\)'"
    ):
        build_site.page_notebook(text, "01-x.ipynb")


def test_solutions_are_collapsed_and_empty_exercise_cells_left_out_of_the_page():
    cells = page_cells(
        markdown("### Exercise: try"), code("", "provided"), code("x = 1", "solution")
    )
    empty, solution = cells[-2], cells[-1]
    assert "remove-cell" in empty["metadata"]["tags"]
    assert "hide-cell" in solution["metadata"]["tags"]
    assert solution["metadata"]["mystnb"]["code_prompt_show"] == "Show the solution"


def test_each_episode_page_links_to_its_notebook_and_handout_under_the_title():
    links = "".join(page_cells()[1]["source"])
    assert "{download}`the notebook <01-x.ipynb>`" in links
    handout = HANDOUTS / episode_notebooks(HANDOUTS)[0].name
    handout_links = "".join(build_site.downloads_cell(handout.name)["source"])
    assert f"<../handouts/{handout.name}>" in handout_links


def test_images_from_the_internet_become_their_alt_text():
    markdown_text = (
        "[![Launch on Binder](https://mybinder.org/badge.svg)](https://x.org) ![Local](fig/a.svg)"
    )
    assert build_site.without_remote_images(markdown_text) == (
        "[Launch on Binder](https://x.org) ![Local](fig/a.svg)"
    )


def test_build_refuses_to_empty_a_folder_that_holds_something_else(tmp_path):
    (tmp_path / "thesis.tex").write_text("precious")
    with pytest.raises(build_site.SiteError, match="holds no earlier build"):
        build_site.build(tmp_path)
    assert (tmp_path / "thesis.tex").read_text() == "precious"


# -- a small site with math and a widget, built with the lesson's settings -----------


@pytest.fixture(scope="module")
def small_site(tmp_path_factory) -> Path:
    """A site built by the lesson's settings from a page with math and a widget notebook."""
    source = tmp_path_factory.mktemp("small-site")
    shutil.copy(build_site.SITE_SOURCE / "conf.py", source)
    (source / "index.md").write_text(
        "# Home\n\nThe weighted sum $w_1 x_1 + w_2 x_2$.\n\n"
        "```{toctree}\n:hidden:\n\nsetup\nnotebooks/01-widget\n```\n"
    )
    (source / "setup.md").write_text("# Setup\n")
    widget = {
        "output_type": "display_data",
        "metadata": {},
        "data": {
            "application/vnd.jupyter.widget-view+json": {
                "model_id": "abc",
                "version_major": 2,
                "version_minor": 1,
            },
            "text/plain": "DrawingPad(size=280)",
        },
    }
    notebook_file(
        source / "notebooks" / "01-widget.ipynb",
        [markdown(OPENING), code("pad", "live", outputs=[widget])],
    )
    out = source / "html"
    build_site.run_sphinx(source, out, source / "doctrees")
    return out


def test_a_page_with_math_gets_mathjax_from_the_site_itself(small_site):
    page = Page((small_site / "index.html").read_text())
    scripts = [
        script["src"] for script in page.find("script") if "mathjax" in script.get("src", "")
    ]
    assert scripts == ["_static/mathjax/tex-chtml.js"]
    assert (small_site / "_static" / "mathjax" / "tex-chtml.js").exists()


def test_a_picture_without_alt_text_stops_the_sphinx_build_naming_the_notebook(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(build_site.SITE_SOURCE, source)
    (source / "index.md").write_text("# Home\n\n```{toctree}\nnotebooks/01-x\n```\n")
    notebook_file(source / "notebooks" / "01-x.ipynb", [code("plot()", outputs=[picture_output()])])
    with pytest.raises(build_site.SiteError, match=r"01-x\.ipynb: the code cell starting"):
        build_site.run_sphinx(source, tmp_path / "html", tmp_path / "doctrees")


def test_a_widget_is_described_in_a_sentence_and_loads_no_widget_script(small_site):
    text = (small_site / "notebooks" / "01-widget.html").read_text()
    assert "interactive widget (DrawingPad(size=280)) when it runs in JupyterLab" in text
    assert "widget-view+json" not in text
    assert "require.js" not in text and "html-manager" not in text


# -- in a real browser ------------------------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging each request."""

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def served_site(site):
    """The built site on http://127.0.0.1:PORT/, served from a thread."""
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


#: Run in each page: load every image now (even those marked lazy), then report the
#: broken ones, every link and every id that a link could point to.
INSPECT_PAGE = """async () => {
    const images = [...document.images];
    images.forEach((image) => { image.loading = "eager"; });
    await Promise.all(images.map((image) => image.decode().catch(() => null)));
    return {
        broken: images.filter((image) => image.naturalWidth === 0).map((image) => image.src),
        links: [...document.querySelectorAll("a[href]")].map((link) => link.href),
        ids: [...document.querySelectorAll("[id], a[name]")].map((e) => e.id || e.name),
    };
}"""


@pytest.fixture(scope="session")
def visits(browser, served_site, site):
    """Open every page in Chromium; record what each loaded, logged and links to."""
    context = browser.new_context()
    external: list[str] = []

    def only_localhost(route):
        url = route.request.url
        if url.startswith(served_site):
            route.continue_()
        else:
            external.append(url)
            route.abort()

    context.route("**/*", only_localhost)
    results = {}
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    for path in pages(site):
        external.clear()
        errors.clear()
        response = page.goto(served_site + path, wait_until="load")
        found = page.evaluate(INSPECT_PAGE)
        page.wait_for_load_state("networkidle")
        results[path] = {
            "status": response.status if response else None,
            "external": list(external),
            "errors": list(errors),
            **found,
        }
    context.close()
    return results


@pytest.mark.browser
def test_every_page_opens_without_requests_leaving_localhost(visits):
    assert {path: visit["external"] for path, visit in visits.items() if visit["external"]} == {}
    assert {path for path, visit in visits.items() if visit["status"] != 200} == set()


@pytest.mark.browser
def test_every_page_opens_without_console_errors(visits):
    assert {path: visit["errors"] for path, visit in visits.items() if visit["errors"]} == {}


@pytest.mark.browser
def test_every_image_on_every_page_loads(visits):
    assert {path: visit["broken"] for path, visit in visits.items() if visit["broken"]} == {}


@pytest.mark.browser
def test_every_internal_link_leads_to_an_existing_file_and_anchor(visits, served_site, site):
    broken = []
    for path, visit in visits.items():
        for link in visit["links"]:
            if not link.startswith(served_site):
                continue
            address = urlsplit(link)
            target = unquote(address.path)[len(urlsplit(served_site).path) :] or "index.html"
            if target.endswith("/"):
                target += "index.html"
            if not (site / target).is_file():
                broken.append((path, link))
            elif address.fragment and unquote(address.fragment) not in visits.get(target, {}).get(
                "ids", []
            ):
                broken.append((path, link))
    assert broken == []


@pytest.mark.browser
def test_search_finds_the_first_episode_offline(browser, served_site):
    page = browser.new_page()
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(served_site) else route.abort()
        ),
    )
    page.goto(urljoin(served_site, "search.html?q=perceptron"))
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=10_000)
    found = [urlsplit(href).path for href in results.evaluate_all("(a) => a.map((x) => x.href)")]
    page.close()
    assert any(path.endswith("notebooks/01-perceptron.html") for path in found)
