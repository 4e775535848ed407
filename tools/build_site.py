"""Build the lesson's website into ``_build/html``, offline, from the committed notebooks.

Usage (from the top folder of the lesson; ``python3 tools/lesson.py site`` sets up
the environment first and then runs this)::

    python tools/build_site.py           # build _build/html
    python tools/build_site.py --out DIR # build somewhere else

The notebooks are never executed: each episode page shows the outputs saved in
its notebook. The build copies the site's own pages and settings (``site/``),
the episode notebooks, handouts, figures and the documents the pages include or
link to into ``_build/site-src``, writes the episode table there, and runs
Sphinx (with myst-nb and sphinx-book-theme) on that copy. It writes nothing
outside ``_build``; any Sphinx warning (a broken link, a missing include) stops
it with an error.

On the way into a page (not in the downloadable notebooks), each notebook gets:

- alt text for every picture in its outputs: the cell metadata
  ``{"mystnb": {"image": {"alt": "..."}}}`` where a cell has it, otherwise the
  last sentences of the Markdown cell above the code cell (which, by the
  lesson's conventions, say what the cell shows);
- solution cells collapsed behind "Show the solution", and empty exercise cells
  left out;
- a sentence in place of each interactive widget (widgets need a running kernel);
- links to download the notebook and its live-coding handout, under the title.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from markdown_it import MarkdownIt
from project import HANDOUTS, NOTEBOOKS, ROOT, episode_notebooks
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.docutils import docutils_namespace, patch_docutils
from sphinx.util.fileutil import copy_asset

BUILD = ROOT / "_build"
#: Where the site is built, and where its sources are gathered first.
SITE_HTML = BUILD / "html"
STAGING = BUILD / "site-src"
DOCTREES = BUILD / "site-doctrees"
#: The site's own pages and Sphinx settings.
SITE_SOURCE = ROOT / "site"

#: Files and folders of the lesson that pages include, show or link to.
STAGED = (
    "README.md",
    "instructors.md",
    "CONTRIBUTING.md",
    "BENCHMARK.md",
    "LICENSE",
    "requirements.txt",
    "requirements-deep.txt",
    "environment.yml",
    "fig",
    "data",
)

#: The name (without ``.zip``) of the download holding the whole lesson.
LESSON_ZIP = "nn-lesson"

#: ``**Timing**: 15 minutes teaching, 10 minutes exercises`` (colon inside or outside).
TIMING = re.compile(
    r"\*\*Timing(?::\*\*|\*\*:)\s*(\d+)\s+minutes? teaching,\s*(\d+)\s+minutes? exercises?"
)

#: An image loaded from the internet in Markdown: ``![alt](https://...)``.
REMOTE_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*https?://[^)]*\)")

#: MathJax 3, from the sphinx-mathjax-offline package, served by the site itself.
MATHJAX = files("sphinx-mathjax-offline") / "static" / "mathjax"

#: The output type of a Jupyter widget (it needs a kernel, so pages cannot show it).
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

#: Longest alt text taken from a Markdown paragraph, in characters.
ALT_LIMIT = 250


class SiteError(ValueError):
    """A notebook or page cannot go on the website; the message names the file."""


@dataclass(frozen=True)
class Episode:
    """An episode notebook and what its opening cell says about it."""

    path: Path
    title: str
    teaching: int
    exercises: int


def read_episode(path: Path) -> Episode:
    """Read an episode's title and minutes from its opening Markdown cell.

    Parameters
    ----------
    path : Path
        An episode notebook.

    Returns
    -------
    Episode

    Raises
    ------
    SiteError
        If the notebook is not valid JSON, does not open with a Markdown cell
        starting ``# Title``, or has no ``**Timing**: N minutes teaching, M minutes
        exercises`` line there.
    """
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise SiteError(f"{path}: not a readable notebook ({error})") from None
    opening = cells[0] if cells else {}
    text = "".join(opening.get("source", ""))
    title = re.match(r"#\s+(.+)", text)
    if opening.get("cell_type") != "markdown" or title is None:
        raise SiteError(f"{path}: the first cell must be Markdown starting '# Title'")
    timing = TIMING.search(text)
    if timing is None:
        raise SiteError(
            f"{path}: the first cell has no line "
            "'**Timing**: N minutes teaching, M minutes exercises'"
        )
    return Episode(path, plain_text(title.group(1)), int(timing.group(1)), int(timing.group(2)))


def plain_text(markdown: str) -> str:
    """Return the words of a Markdown snippet, without its markup."""
    words = []
    for token in MarkdownIt().parseInline(markdown):
        for child in token.children or []:
            if child.type in {"text", "code_inline"}:
                words.append(child.content)
            elif child.type in {"softbreak", "hardbreak"}:
                words.append(" ")
    return re.sub(r"\s+", " ", "".join(words)).strip()


def last_sentences(text: str, limit: int = ALT_LIMIT) -> str:
    """The last sentences of ``text`` that fit in ``limit`` characters (at least one, cut)."""
    sentences = re.split(r"(?<=[.!?])\s+", text)
    kept = sentences.pop()
    while sentences and len(sentences[-1]) + 1 + len(kept) <= limit:
        kept = sentences.pop() + " " + kept
    return kept if len(kept) <= limit else kept[: limit - 1].rstrip() + "…"


#: A heading mark, list bullet or number at the start of a Markdown block.
BLOCK_MARK = re.compile(r"^\s*(#+|[-*]|\d+\.)\s+")


def derived_alt(cells: list[dict], index: int) -> str:
    """Alt text for the pictures of code cell ``index``, from the Markdown above it.

    The last sentences of the last paragraph (or list item) of the nearest
    Markdown cell above with any text, without markup, at most ``ALT_LIMIT``
    characters: by the lesson's conventions, the text just before a code cell
    says what the cell does.
    """
    for cell in reversed(cells[:index]):
        if cell["cell_type"] != "markdown":
            continue
        blocks = re.split(r"\n\s*\n", "".join(cell["source"]))
        texts = [plain_text(BLOCK_MARK.sub("", block)) for block in blocks]
        texts = [text for text in texts if text]
        if texts:
            return last_sentences(texts[-1])
    return ""


def has_picture(cell: dict) -> bool:
    """Whether a code cell's saved outputs hold an image."""
    return any(
        mime.startswith("image/")
        for output in cell.get("outputs", [])
        for mime in output.get("data", {})
    )


def downloads_cell(name: str) -> dict:
    """A Markdown cell linking to the notebook ``name`` and its handout, as downloads."""
    links = [f"{{download}}`the notebook <{name}>`"]
    if (HANDOUTS / name).exists():
        links.append(f"{{download}}`the live-coding handout <../handouts/{name}>`")
    text = (
        "Download " + " or ".join(links) + "; they run inside the lesson's folder "
        "(see [Setup and troubleshooting](../setup.md))."
    )
    return {"cell_type": "markdown", "id": "site-downloads", "metadata": {}, "source": text}


def widget_note(description: str | list[str]) -> str:
    """What a page shows instead of an interactive widget, which needs a running kernel."""
    description = plain_text("".join(description))
    shown = f" ({description})" if description else ""
    return f"*Here the notebook shows an interactive widget{shown} when it runs in JupyterLab.*"


def page_notebook(text: str, name: str) -> str:
    """Turn a notebook's JSON into what its web page shows (see the module docstring)."""
    notebook = json.loads(text)
    cells = notebook["cells"]
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        metadata = cell.setdefault("metadata", {})
        tags = metadata.setdefault("tags", [])
        if not "".join(cell["source"]).strip() and not cell.get("outputs"):
            tags.append("remove-cell")
        elif "solution" in tags:
            tags.append("hide-cell")
            options = metadata.setdefault("mystnb", {})
            options.setdefault("code_prompt_show", "Show the solution")
            options.setdefault("code_prompt_hide", "Hide the solution")
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                output["data"] = {"text/markdown": widget_note(data.get("text/plain", ""))}
        if has_picture(cell):
            image = metadata.setdefault("mystnb", {}).setdefault("image", {})
            if not image.get("alt"):
                image["alt"] = derived_alt(cells, index)
            if not image["alt"]:
                first_line = "".join(cell["source"]).strip().splitlines()[0]
                raise SiteError(
                    f"{name}: the code cell starting {first_line!r} draws a picture but has no "
                    "Markdown text above it; give it alt text in its metadata: "
                    '{"mystnb": {"image": {"alt": "what the picture shows"}}}'
                )
    cells.insert(1, downloads_cell(name))
    return json.dumps(notebook)


def episode_table(episodes: list[Episode], zipped: bool) -> str:
    """The home page's table of episodes, minutes and downloads, in Markdown."""
    rows = [
        "| Episode | Teaching | Exercises | Downloads |",
        "|---|---|---|---|",
    ]
    for number, episode in enumerate(episodes, start=1):
        name = episode.path.name
        downloads = f"{{download}}`notebook <notebooks/{name}>`"
        if (HANDOUTS / name).exists():
            downloads += f", {{download}}`handout <handouts/{name}>`"
        rows.append(
            f"| {number}. [{episode.title}](notebooks/{name}) | {episode.teaching} min "
            f"| {episode.exercises} min | {downloads} |"
        )
    teaching = sum(episode.teaching for episode in episodes)
    exercises = sum(episode.exercises for episode in episodes)
    rows.append(f"| **Total** | **{teaching} min** | **{exercises} min** | |")
    text = "\n".join(rows) + "\n"
    if zipped:
        text += (
            f"\nThe whole lesson (notebooks, helper package, data, tools and tests) is one "
            f"download: {{download}}`{LESSON_ZIP}.zip <{LESSON_ZIP}.zip>`.\n"
        )
    return text


def tracked_files() -> list[str] | None:
    """The lesson's files as git tracks them, or None outside a git checkout."""
    try:
        listing = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return [name for name in listing.decode().split("\0") if name and (ROOT / name).is_file()]


def write_lesson_zip(destination: Path) -> bool:
    """Zip the lesson's tracked files into ``destination``; False outside a git checkout."""
    names = tracked_files()
    if names is None:
        return False
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(names):
            archive.write(ROOT / name, f"{LESSON_ZIP}/{name}")
    return True


def without_remote_images(markdown: str) -> str:
    """Replace each image loaded from the internet (such as a badge) by its alt text."""
    return REMOTE_IMAGE.sub(lambda image: image.group(1), markdown)


def stage(staging: Path = STAGING) -> list[Episode]:
    """Gather the site's sources in ``staging`` (emptied first); return the episodes."""
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(SITE_SOURCE, staging)
    for name in STAGED:
        source, target = ROOT / name, staging / name
        if not source.exists():
            raise SiteError(f"{source} is missing; the site needs it (STAGED in {__file__})")
        if source.is_dir():
            shutil.copytree(source, target)
        elif source.suffix == ".md":
            text = without_remote_images(source.read_text(encoding="utf-8"))
            target.write_text(text, encoding="utf-8")
        else:
            shutil.copy2(source, target)
    episodes = [read_episode(path) for path in episode_notebooks(NOTEBOOKS)]
    if not episodes:
        raise SiteError(f"{NOTEBOOKS}: no episode notebooks (NN-name.ipynb) to put on the site")
    (staging / "notebooks").mkdir()
    for episode in episodes:
        shutil.copy2(episode.path, staging / "notebooks" / episode.path.name)
    (staging / "handouts").mkdir()
    for handout in episode_notebooks(HANDOUTS):
        shutil.copy2(handout, staging / "handouts" / handout.name)
    zipped = write_lesson_zip(staging / f"{LESSON_ZIP}.zip")
    if not zipped:
        print("Not a git checkout: the site offers no zip of the whole lesson.")
    (staging / "episodes.md").write_text(episode_table(episodes, zipped), encoding="utf-8")
    return episodes


def on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    """Sphinx hook: give each episode notebook what its web page needs."""
    if docname.startswith("notebooks/"):
        source[0] = page_notebook(source[0], Path(docname).name + ".ipynb")


def run_sphinx(source: Path, out: Path, doctrees: Path = DOCTREES) -> None:
    """Build the HTML site in ``out`` from the Sphinx project in ``source``.

    Raises
    ------
    SiteError
        If a notebook cannot go on a page, or Sphinx warns about anything (the
        warnings are printed).
    """
    pages_with_math = []

    def note_math(app: Sphinx, pagename: str, template: str, context: dict, doctree) -> None:
        """Remember that a page shows math, so MathJax must be in the site."""
        if context.get("has_maths_elements"):
            pages_with_math.append(pagename)

    with patch_docutils(source), docutils_namespace():
        app = Sphinx(
            srcdir=source,
            confdir=source,
            outdir=out,
            doctreedir=doctrees,
            buildername="html",
            freshenv=True,
            warningiserror=True,
            keep_going=True,
            status=None,
        )
        app.connect("source-read", on_source_read)
        app.connect("html-page-context", note_math)
        try:
            app.build()
        except ExtensionError as error:
            if isinstance(error.orig_exc, SiteError):
                raise error.orig_exc from None
            raise
        if app.statuscode == 0 and pages_with_math:
            copy_asset(MATHJAX, Path(app.outdir) / "_static" / "mathjax")
    if app.statuscode:
        raise SiteError(f"Sphinx could not build {source} without warnings; see above")


def empty_output(out: Path) -> None:
    """Remove a previous build from ``out``, refusing to empty any other folder."""
    if out.exists() and any(out.iterdir()):
        if not (out / ".buildinfo").exists():
            raise SiteError(
                f"{out} is not empty and holds no earlier build of the site; "
                "choose a new or empty folder"
            )
        shutil.rmtree(out)


def sources() -> list[Path]:
    """Every file the site is built from (to tell whether a build is out of date)."""
    found = [Path(__file__), *episode_notebooks(NOTEBOOKS), *episode_notebooks(HANDOUTS)]
    for path in [SITE_SOURCE] + [ROOT / name for name in STAGED]:
        found += [path] if path.is_file() else [file for file in path.rglob("*") if file.is_file()]
    return found


def is_current(out: Path = SITE_HTML) -> bool:
    """Whether ``out`` holds a build newer than every file it is built from."""
    stamp = out / ".buildinfo"
    if not stamp.exists():
        return False
    built = stamp.stat().st_mtime
    return all(path.stat().st_mtime <= built for path in sources())


def build(out: Path = SITE_HTML) -> Path:
    """Build the website into ``out`` (emptied first) and return ``out/index.html``.

    Raises
    ------
    SiteError
        If a notebook cannot go on the site, ``out`` holds something else, or
        Sphinx warns about anything.
    """
    empty_output(out)
    stage(STAGING)
    run_sphinx(STAGING, out)
    return out / "index.html"


def main(argv: list[str] | None = None) -> None:
    """Build the site and say where it is and how long it took."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=SITE_HTML, help="where to build the site")
    options = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        index = build(options.out.resolve())
    except SiteError as error:
        sys.exit(f"Could not build the website: {error}")
    seconds = time.perf_counter() - start
    print(f"Built the website in {seconds:.1f} s: open {index}")


if __name__ == "__main__":
    main()
