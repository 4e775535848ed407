"""Where things are in the lesson, and the settings its tools share.

Standard library only: ``tools/lesson.py`` imports this before any package
is installed.
"""

from __future__ import annotations

import json
import os
import platform
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
HANDOUTS = ROOT / "handouts"
DATA = ROOT / "data"
FIG = ROOT / "fig"

#: The oldest Python the lesson supports.
MINIMUM_PYTHON = (3, 11)

#: What learners install (requirements.txt), what the tests add, and the optional extras.
REQUIREMENTS = ROOT / "requirements.txt"
REQUIREMENTS_DEV = ROOT / "requirements-dev.txt"
REQUIREMENTS_DEEP = ROOT / "requirements-deep.txt"
REQUIREMENTS_SITE = ROOT / "requirements-site.txt"

#: PyTorch's own index of CPU-only wheels, for requirements-deep.txt. On Linux, PyPI's
#: torch is the CUDA build (several GB); macOS and Windows wheels on PyPI are CPU-only.
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"

#: The kernel every notebook and handout asks for.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}

#: Episode notebooks are numbered from 01: ``01-perceptron.ipynb``.
EPISODE_NAME = re.compile(r"^(?!00-)[0-9]{2}-.+\.ipynb$")


def episode_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """Return the episode notebooks in ``folder``, in lesson order."""
    return sorted(path for path in folder.glob("*.ipynb") if EPISODE_NAME.match(path.name))


#: The schedule line of an episode's opening cell:
#: ``**Timing**: 15 minutes teaching, 10 minutes exercises`` (colon inside or outside the
#: bold, "minute" or "minutes", "exercise" or "exercises").
TIMING = re.compile(
    r"\*\*Timing(?::\*\*|\*\*:)\s*(\d+)\s+minutes? teaching,\s*(\d+)\s+minutes? exercises?"
)


def episode_timing(path: Path) -> tuple[int, int]:
    """Return an episode's minutes of teaching and of exercises, from its opening cell.

    Raises ``ValueError`` naming the notebook when it is not readable or its opening
    cell has no ``**Timing**`` line.
    """
    try:
        opening = json.loads(path.read_text(encoding="utf-8"))["cells"][0]
    except (json.JSONDecodeError, KeyError, IndexError, TypeError) as error:
        raise ValueError(f"{path}: not a readable notebook ({error!r})") from None
    text = opening.get("source", "")
    found = TIMING.search(text if isinstance(text, str) else "".join(text))
    if opening.get("cell_type") != "markdown" or found is None:
        raise ValueError(
            f"{path}: the opening Markdown cell has no line "
            "'**Timing**: N minutes teaching, M minutes exercises'"
        )
    return int(found[1]), int(found[2])


#: Instruction-set flags (as /proc/cpuinfo spells them) that change how fast, and in which
#: order, numerical libraries add up: written beside every measured time.
CPU_FLAGS = ("avx", "fma", "avx2", "avx512f")

#: Where Linux describes the processor.
CPUINFO = Path("/proc/cpuinfo")


def cpu_description() -> str:
    """The processor's model, cores and vector instructions: ``AMD EPYC, 2 cores, AVX AVX2``.

    Reads ``/proc/cpuinfo`` on Linux; elsewhere falls back to ``platform.processor()``
    without the flags.
    """
    model, flags = platform.processor() or platform.machine(), None
    cpuinfo = CPUINFO
    if cpuinfo.is_file():
        fields = dict(
            line.split(":", 1) for line in cpuinfo.read_text().splitlines() if ":" in line
        )
        fields = {key.strip(): value.strip() for key, value in fields.items()}
        model = fields.get("model name", model)
        flags = set(fields.get("flags", "").split())
    text = f"{model}, {os.cpu_count()} cores"
    if flags is not None:
        present = [flag.upper().replace("512F", "-512") for flag in CPU_FLAGS if flag in flags]
        text += ", " + (" ".join(present) if present else "no AVX")
    return text
