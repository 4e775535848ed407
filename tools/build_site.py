"""Build the lesson's website into ``_build/html``, offline, from the committed notebooks.

Usage (from the top folder of the lesson; ``python3 tools/lesson.py site`` sets up
the environment first and then runs this)::

    python tools/build_site.py

The notebooks are never executed: each episode page shows the outputs saved in
its notebook. What a page does with a cell lives in the cell's own metadata and
in ``site/conf.py`` (whose docstring lists the tags).

This script only gathers what the pages need under one folder,
``_build/site-src`` (the site's own pages from ``site/``, the notebooks,
handouts, figures and the documents the pages include or link to), writes the
table of episodes there, zips the lesson's last commit with ``git archive`` (so
it needs a git checkout), and runs Sphinx, which rebuilds only the pages whose
sources changed. It writes nothing outside ``_build``; any Sphinx warning (a
broken link, a missing include) stops it with an error.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from project import NOTEBOOKS, ROOT, episode_notebooks, episode_timing
from sphinx.cmd.build import build_main

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
    "notebooks",  # only the episodes (NN-name.ipynb) are pages: see site/conf.py
    "handouts",
)

#: The name (without ``.zip``) of the download holding the whole lesson.
LESSON_ZIP = "nn-lesson"


class SiteError(RuntimeError):
    """The site could not be built: git archive failed, or Sphinx warned (naming each file)."""


def episode_table(notebooks: list[Path]) -> str:
    """The home page's table of episodes, minutes and downloads, in Markdown.

    Each episode's title is its page's own (a MyST link with no text); the minutes
    come from the ``**Timing**`` line of its opening cell.

    Raises
    ------
    ValueError
        Naming the notebook whose opening cell has no ``**Timing**`` line.
    """
    rows = ["| Episode | Teaching | Exercises | Downloads |", "|---|---|---|---|"]
    timings = {path: episode_timing(path) for path in notebooks}
    for number, (path, (teaching, exercises)) in enumerate(timings.items(), start=1):
        rows.append(  # every episode has a handout: tests/test_handouts.py checks
            f"| {number}. [](notebooks/{path.name}) | {teaching} min | {exercises} min "
            f"| {{download}}`notebook <notebooks/{path.name}>`, "
            f"{{download}}`handout <handouts/{path.name}>` |"
        )
    teaching = sum(minutes for minutes, _ in timings.values())
    exercises = sum(minutes for _, minutes in timings.values())
    rows.append(f"| **Total** | **{teaching} min** | **{exercises} min** | |")
    return "\n".join(rows) + (
        f"\n\nThe whole lesson (notebooks, helper package, data, tools and tests) is one "
        f"download: {{download}}`{LESSON_ZIP}.zip <{LESSON_ZIP}.zip>`.\n"
    )


def zip_lesson(destination: Path) -> None:
    """Zip the lesson's last commit into ``destination``.

    Raises
    ------
    SiteError
        If ``git archive`` fails (outside a git checkout), with git's own message.
    """
    command = ["git", "archive", "--format=zip", f"--prefix={LESSON_ZIP}/", "-o", destination]
    result = subprocess.run([*command, "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise SiteError(f"git archive could not zip the lesson: {result.stderr.strip()}")


def stage(staging: Path = STAGING) -> None:
    """Gather the site's sources in ``staging``, emptied first.

    Files keep their times (``shutil.copy2``), so Sphinx sees which changed.
    """
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(SITE_SOURCE, staging)
    for name in STAGED:  # a missing one stops the build with FileNotFoundError, naming it
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, staging / name)
    zip_lesson(staging / f"{LESSON_ZIP}.zip")
    table = episode_table(episode_notebooks(NOTEBOOKS))
    (staging / "episodes.md").write_text(table, encoding="utf-8")


def build(out: Path = SITE_HTML) -> Path:
    """Build the website into ``out`` and return ``out/index.html``.

    Raises
    ------
    FileNotFoundError
        If a file the site needs is missing.
    ValueError
        If an episode notebook has no ``**Timing**`` line.
    SiteError
        If the lesson cannot be zipped, or Sphinx warns about anything (no episode
        notebook at all is one warning).
    """
    stage(STAGING)
    options = ["--builder", "html", "--fail-on-warning", "--keep-going", "--quiet"]
    if build_main([*options, "--doctree-dir", str(DOCTREES), str(STAGING), str(out)]):
        raise SiteError(f"Sphinx could not build {STAGING} without warnings; see above")
    return out / "index.html"


def main() -> None:
    """Build the site and say where it is."""
    try:
        index = build()
    except (SiteError, ValueError, FileNotFoundError) as error:
        sys.exit(f"Could not build the website: {error}")
    print(f"Built the website: open {index}")


if __name__ == "__main__":
    main()
