"""Tests for the lesson's website, which tools/build_site.py builds into _build/html.

The site is built once per test run (Sphinx rebuilds only the pages whose sources
changed) and its pages are read with BeautifulSoup. The tests marked ``browser``
serve it on localhost, open every page in Chromium and check it with axe-core.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import subprocess
import threading
import zipfile
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import build_site
import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup
from project import HANDOUTS, NOTEBOOKS, ROOT, episode_notebooks, episode_timing

EPISODES = episode_notebooks(NOTEBOOKS)

#: Something a page or style sheet would load from the internet: ``//host/...`` or ``https://``.
REMOTE = re.compile(r"^\s*(https?:)?//", re.I)
REMOTE_CSS = re.compile(r"""(url\(\s*['"]?|@import\s+['"])\s*(https?:)?//""", re.I)


def git_status() -> str:
    command = ["git", "status", "--porcelain"]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="session")
def build_run() -> tuple[Path, str, str]:
    """Build the site once; return its folder, and git's status before and after."""
    before = git_status()
    build_site.build()
    return build_site.SITE_HTML, before, git_status()


@pytest.fixture(scope="session")
def site(build_run) -> Path:
    return build_run[0]


@pytest.fixture(scope="session")
def pages(site) -> dict[str, BeautifulSoup]:
    """Every HTML page of the site, by path relative to the site's folder."""
    return {
        path.relative_to(site).as_posix(): BeautifulSoup(path.read_bytes(), "html.parser")
        for path in sorted(site.rglob("*.html"))
        if "_static" not in path.parts
    }


def cells(notebook: Path) -> list[dict]:
    return json.loads(notebook.read_text(encoding="utf-8"))["cells"]


def heading(page: BeautifulSoup) -> str:
    return page.h1.get_text(" ", strip=True).rstrip("#").strip()


def test_building_the_site_changes_no_tracked_file(build_run):
    _, before, after = build_run
    assert after == before


def test_site_has_a_home_page_setup_instructor_notes_and_a_page_for_each_episode(pages):
    assert {"index.html", "setup.html", "instructors.html"} <= set(pages)
    assert heading(pages["instructors.html"]) == "Instructor notes"
    for notebook in EPISODES:
        page = pages[f"notebooks/{notebook.stem}.html"]
        title = "".join(cells(notebook)[0]["source"]).splitlines()[0].lstrip("# ")
        assert heading(page) == re.sub(r"[`*]", "", title), notebook.name


def test_home_page_lists_every_episode_with_the_minutes_from_its_notebook(pages):
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in pages["index.html"].select("table tbody tr")
    ]
    expected = []
    for number, notebook in enumerate(EPISODES, start=1):
        title = heading(pages[f"notebooks/{notebook.stem}.html"])
        teaching, exercises = episode_timing(notebook)
        expected.append([f"{number}. {title}", f"{teaching} min", f"{exercises} min"])
    totals = [sum(int(row[column].split()[0]) for row in expected) for column in (1, 2)]
    expected.append(["Total", f"{totals[0]} min", f"{totals[1]} min"])
    assert [row[:3] for row in rows] == expected


def test_a_notebook_without_a_timing_line_stops_the_build_naming_it(tmp_path):
    notebook = tmp_path / "01-x.ipynb"
    notebook.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": "# X"}]}))
    with pytest.raises(build_site.SiteError, match=r"01-x\.ipynb.*Timing"):
        build_site.episode_table([notebook], zipped=False)


def downloads(site: Path, page: BeautifulSoup) -> list[Path]:
    """The files a page offers for download."""
    return [site / unquote(link["href"]) for link in page.select('a[href^="_downloads/"]')]


def test_home_page_offers_every_notebook_and_handout_unchanged_for_download(site, pages):
    offered = {path.read_bytes() for path in downloads(site, pages["index.html"])}
    for original in EPISODES + episode_notebooks(HANDOUTS):
        assert original.read_bytes() in offered, f"no download of {original.relative_to(ROOT)}"


def test_home_page_offers_the_whole_lesson_as_a_zip_of_its_last_commit(site, pages):
    [archive] = [
        path
        for path in downloads(site, pages["index.html"])
        if path.name == f"{build_site.LESSON_ZIP}.zip"
    ]
    names = set(zipfile.ZipFile(archive).namelist())
    prefix = build_site.LESSON_ZIP + "/"
    assert {prefix + "tools/lesson.py", prefix + "notebooks/nn_helpers/__init__.py"} <= names
    assert not [name for name in names if "/.venv/" in name or "/_build/" in name]


def test_no_page_loads_a_script_style_image_or_frame_from_the_internet(site, pages):
    remote = []
    for path, page in pages.items():
        for tag in page.find_all(["script", "img", "iframe", "source", "object", "link"]):
            if tag.name == "link" and not {"stylesheet", "icon", "preload"} & set(tag["rel"]):
                continue
            for attribute in ("src", "srcset", "href", "data"):
                if REMOTE.match(tag.get(attribute, "")):
                    remote.append((path, str(tag)[:120]))
        styles = [tag.get("style", "") for tag in page.find_all(style=True)]
        styles += [tag.get_text() for tag in page.find_all("style")]
        remote += [(path, style[:120]) for style in styles if REMOTE_CSS.search(style)]
    remote += [
        (path.name, "") for path in site.rglob("*.css") if REMOTE_CSS.search(path.read_text())
    ]
    assert remote == []


def test_every_internal_link_leads_to_an_existing_page_and_anchor(site, pages):
    broken = []
    for path, page in pages.items():
        for link in page.select("a[href]"):
            address = urlsplit(urljoin(path, link["href"]))
            if address.scheme or address.netloc or address.path.startswith("/"):
                continue  # links to the internet are for the reader, not loaded by the page
            target = unquote(address.path) or path
            if not (site / target).is_file():
                broken.append((path, link["href"]))
            elif address.fragment and target in pages:
                if pages[target].find(id=unquote(address.fragment)) is None:
                    broken.append((path, link["href"]))
    assert broken == []


def test_every_picture_in_a_notebook_has_alt_text_in_its_cell_metadata():
    missing = [
        f"{notebook.name}: code cell {cell['id']}"
        for notebook in EPISODES
        for cell in cells(notebook)
        if any(
            m.startswith("image/") for out in cell.get("outputs", []) for m in out.get("data", {})
        )
        and not cell["metadata"].get("mystnb", {}).get("image", {}).get("alt", "").strip()
    ]
    assert missing == [], 'give each a description: {"mystnb": {"image": {"alt": "..."}}}'


def test_every_image_on_every_page_has_alt_text_and_every_saved_picture_is_shown(pages):
    for path, page in pages.items():
        for image in page.find_all("img"):
            alt = image.get("alt", "").strip()
            assert alt and alt != image["src"], f"{path}: {image['src']} has no alt text"
    for notebook in EPISODES:
        saved = sum(
            "image/png" in out.get("data", {})
            for c in cells(notebook)
            for out in c.get("outputs", [])
        )
        page = pages[f"notebooks/{notebook.stem}.html"]
        assert len(page.select('img[src*="_images/"]')) >= saved, notebook.name


def test_every_solution_is_collapsed_and_every_empty_exercise_cell_left_out(pages):
    for notebook in EPISODES:
        code = [cell for cell in cells(notebook) if cell["cell_type"] == "code"]
        for cell in code:
            tags = cell["metadata"].get("tags", [])
            place = f"{notebook.name}, cell {cell['id']}"
            assert "solution" not in tags or "hide-cell" in tags, f"{place}: solution not hidden"
            if not "".join(cell["source"]).strip():
                assert "remove-cell" in tags, f"{place}: empty cell not tagged remove-cell"
        page = pages[f"notebooks/{notebook.stem}.html"]
        shown = [c for c in code if "remove-cell" not in c["metadata"].get("tags", [])]
        assert len(page.select("div.cell")) == len(shown), notebook.name
        solutions = [c for c in code if "solution" in c["metadata"].get("tags", [])]
        prompts = [
            s.find("p", class_="collapsed").text for s in page.select("details.hide summary")
        ]
        assert prompts == ["Show the solution"] * len(solutions), notebook.name


def test_a_widget_is_shown_as_its_description_and_loads_no_widget_script(site, pages):
    for notebook in EPISODES:
        page = pages[f"notebooks/{notebook.stem}.html"]
        for cell in cells(notebook):
            for output in cell.get("outputs", []):
                if "application/vnd.jupyter.widget-view+json" in output.get("data", {}):
                    assert "".join(output["data"]["text/plain"]) in page.get_text()
        text = (site / f"notebooks/{notebook.stem}.html").read_text(encoding="utf-8")
        assert "widget-view+json" not in text and "html-manager" not in text, notebook.name


# -- in a real browser ------------------------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging each request."""

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def served_site(site):
    """The built site on http://127.0.0.1:PORT/, served from a thread."""
    handler = functools.partial(QuietHandler, directory=str(site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_port}/"
        server.shutdown()


#: The accessibility rules every page must pass: WCAG 2.1, levels A and AA. The axe-core
#: in axe-playwright-python (4.12) still calls label-content-name-mismatch experimental
#: (axe-core 4.14 runs it for wcag21a), so it is asked for by name.
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "rules": {"label-content-name-mismatch": {"enabled": True}},
}

#: Run in each page: load every image now (even those marked lazy), report the broken ones.
BROKEN_IMAGES = """async () => {
    const images = [...document.images];
    images.forEach((image) => { image.loading = "eager"; });
    await Promise.all(images.map((image) => image.decode().catch(() => null)));
    return images.filter((image) => image.naturalWidth === 0).map((image) => image.src);
}"""


@pytest.fixture(scope="session")
def visits(browser, served_site, pages):
    """Open every page in Chromium; record what it asked of the internet, logged and broke."""
    context = browser.new_context()
    page, external, errors = context.new_page(), [], []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(served_site)
            else (external.append(route.request.url), route.abort())
        ),
    )
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    results, axe = {}, Axe()
    for path in pages:
        external.clear()
        errors.clear()
        response = page.goto(served_site + path, wait_until="networkidle")
        results[path] = {
            "status": response.status,
            "external": list(external),
            "errors": list(errors),
            "broken": page.evaluate(BROKEN_IMAGES),
        }
        # After the page's own errors are recorded: axe-core fetches the style sheets
        # again and resolves their @import against the page, which can log a 404.
        violations = axe.run(page, options=WCAG_21_AA).response["violations"]
        results[path]["axe"] = [
            f"{rule['id']}: {node['html'][:100]}" for rule in violations for node in rule["nodes"]
        ]
    context.close()
    return results


def failing(visits: dict, key: str) -> dict:
    return {path: visit[key] for path, visit in visits.items() if visit[key]}


@pytest.mark.browser
def test_every_page_opens_without_requests_leaving_localhost(visits):
    assert failing(visits, "external") == {}
    assert {path for path, visit in visits.items() if visit["status"] != 200} == set()


@pytest.mark.browser
def test_every_page_opens_without_console_errors_or_broken_images(visits):
    assert failing(visits, "errors") == {}
    assert failing(visits, "broken") == {}


@pytest.mark.browser
def test_every_page_passes_axe_core_for_wcag_2_1_a_and_aa(visits):
    assert failing(visits, "axe") == {}


@pytest.mark.browser
def test_search_finds_the_first_episode_offline(page, served_site):
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(served_site) else route.abort()
        ),
    )
    page.goto(urljoin(served_site, "search.html?q=perceptron"))
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=10_000)
    found = results.evaluate_all("(links) => links.map((link) => link.href)")
    assert any(urlsplit(href).path.endswith("notebooks/01-perceptron.html") for href in found)
