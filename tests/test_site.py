"""Tests for the lesson's website, which tools/build_site.py builds into _build/html.

The site is built once per test run (Sphinx rebuilds only the pages whose sources
changed) and its pages are read with BeautifulSoup. The build itself stops at any
broken link, anchor, image or download (Sphinx's warnings are errors there). The test
marked ``browser`` opens every page in Chromium, which Playwright serves from the built
folder, and checks it with axe-core.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urlsplit

import build_site
import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup
from project import HANDOUTS, NOTEBOOKS, episode_notebooks, episode_timing

EPISODES = episode_notebooks(NOTEBOOKS)


@pytest.fixture(scope="session")
def site() -> Path:
    """The site's folder, built once for the whole test run."""
    build_site.build()
    return build_site.SITE_HTML


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


def episode_page(pages: dict[str, BeautifulSoup], notebook: Path) -> BeautifulSoup:
    return pages[f"notebooks/{notebook.stem}.html"]


def test_home_page_lists_every_episode_with_its_title_and_the_minutes_from_its_notebook(pages):
    expected = []
    for number, notebook in enumerate(EPISODES, start=1):
        # The page's title is its notebook's first heading (MyST takes it from there).
        title = episode_page(pages, notebook).h1.get_text(" ", strip=True).removesuffix("#")
        teaching, exercises = episode_timing(notebook)
        expected.append([f"{number}. {title.strip()}", f"{teaching} min", f"{exercises} min"])
    totals = [sum(int(row[column].split()[0]) for row in expected) for column in (1, 2)]
    expected.append(["Total", f"{totals[0]} min", f"{totals[1]} min"])
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")[:3]]
        for row in pages["index.html"].select("table tbody tr")
    ]
    assert rows == expected


def test_a_notebook_without_a_timing_line_stops_the_build_naming_it(tmp_path):
    notebook = tmp_path / "01-x.ipynb"
    notebook.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": "# X"}]}))
    with pytest.raises(ValueError, match=r"01-x\.ipynb.*Timing"):
        build_site.episode_table([notebook])


def test_home_page_offers_every_notebook_and_handout_unchanged_and_the_lesson_zipped(site, pages):
    links = pages["index.html"].select('a[href^="_downloads/"]')
    offered = [site / unquote(link["href"]) for link in links]
    for original in EPISODES + episode_notebooks(HANDOUTS):
        assert original.read_bytes() in {path.read_bytes() for path in offered}, original.name
    # What the zip holds is git archive's last commit.
    assert [path.name for path in offered].count(build_site.LESSON_ZIP + ".zip") == 1


def test_every_image_has_alt_text_and_every_saved_picture_is_shown(pages):
    for path, page in pages.items():
        for image in page.find_all("img"):
            # Without alt text in its cell's metadata, a notebook's picture gets its file name.
            alt = image.get("alt", "").strip()
            assert alt and alt != image["src"], (
                f"{path}: {image['src']} has no alt text; in a notebook, give its cell "
                '{"mystnb": {"image": {"alt": "what the picture shows"}}}'
            )
    for notebook in EPISODES:
        outputs = [output for cell in cells(notebook) for output in cell.get("outputs", [])]
        saved = sum("image/png" in output.get("data", {}) for output in outputs)
        shown = episode_page(pages, notebook).select('img[src*="_images/"]')
        assert len(shown) >= saved, notebook.name


def test_every_solution_is_collapsed_and_every_empty_exercise_cell_left_out(pages):
    for notebook in EPISODES:
        code = [cell for cell in cells(notebook) if cell["cell_type"] == "code"]
        page = episode_page(pages, notebook)
        written = [cell for cell in code if "".join(cell["source"]).strip()]
        assert len(page.select("div.cell")) == len(written), (
            f"{notebook.name}: give every empty code cell the tag remove-cell"
        )
        solutions = [cell for cell in code if "solution" in cell["metadata"]["tags"]]
        prompts = [p.get_text(strip=True) for p in page.select("details.hide summary p.collapsed")]
        assert prompts == ["Show the solution"] * len(solutions), (
            f"{notebook.name}: give every solution cell the tag hide-cell"
        )


def test_a_widget_is_shown_as_its_description_and_loads_no_widget_script(site, pages):
    for notebook in EPISODES:
        page = episode_page(pages, notebook)
        for output in [output for cell in cells(notebook) for output in cell.get("outputs", [])]:
            if "application/vnd.jupyter.widget-view+json" in output.get("data", {}):
                assert "".join(output["data"]["text/plain"]) in page.get_text()
        text = (site / f"notebooks/{notebook.stem}.html").read_text(encoding="utf-8")
        assert "widget-view+json" not in text and "html-manager" not in text, notebook.name


# -- in a real browser ------------------------------------------------------------


#: The address the browser is given for the site; Playwright answers it from the built folder.
SITE_URL = "http://lesson.test/"


#: The accessibility rules every page must pass: WCAG 2.1, levels A and AA. The axe-core
#: in axe-playwright-python (4.12) still calls label-content-name-mismatch experimental
#: (axe-core 4.14 runs it for wcag21a), so it is asked for by name.
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "rules": {"label-content-name-mismatch": {"enabled": True}},
}


@pytest.mark.browser
def test_every_page_loads_only_from_the_site_without_errors_and_passes_axe_core(site, pages, page):
    """Every page (search.html, which loads the search index, too) loads nothing from the
    internet, logs no console error and meets WCAG 2.1 A and AA."""
    refused, errors = [], []

    def serve_only_the_site(route):  # any other address is noted, and refused
        if not route.request.url.startswith(SITE_URL):
            refused.append(route.request.url)
            return route.abort()
        path = site / unquote(urlsplit(route.request.url).path).lstrip("/")
        return route.fulfill(path=path) if path.is_file() else route.fulfill(status=404)

    page.route("**/*", serve_only_the_site)
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    problems, axe = {}, Axe()
    for path in pages:
        refused.clear()
        errors.clear()
        page.goto(SITE_URL + path, wait_until="networkidle")  # a file of the site: found
        found = {
            "loads from the internet": list(refused),
            "console errors": list(errors),
        }
        # After the page's own errors are noted: axe-core fetches the style sheets again
        # and resolves their @import against the page, which can log a 404.
        violations = axe.run(page, options=WCAG_21_AA).response["violations"]
        found["axe-core"] = [
            f"{rule['id']}: {node['html'][:100]}" for rule in violations for node in rule["nodes"]
        ]
        problems[path] = {kind: items for kind, items in found.items() if items}
    assert {path: found for path, found in problems.items() if found} == {}
