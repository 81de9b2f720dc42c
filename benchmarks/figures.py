"""What every benchmark shares: ``--json FILE`` writes the figures it prints as JSON.

    from figures import add_json_option, write_json
    add_json_option(parser)
    ...
    write_json(args.json, "bench_story", argv, {"sizes": rows})

The file holds the benchmark's name, its arguments, the machine (CPUs, load average, Python)
and the figures: dataclasses, paths, numpy numbers and tuples are turned into plain JSON.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json",
        type=Path,
        default=None,
        metavar="FILE",
        help="also write the figures as JSON to FILE",
    )


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data (dicts with string keys, lists, numbers, strings)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if hasattr(value, "__dict__"):
        return plain(vars(value))
    return str(value)


def write_json(path: Path | None, benchmark: str, argv: list[str] | None, figures: Any) -> None:
    """Write ``figures`` to ``path`` (nothing when it is ``None``), with the run's context."""
    if path is None:
        return
    doc = {
        "benchmark": benchmark,
        "argv": list(sys.argv[1:] if argv is None else argv),
        "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "cpus": os.cpu_count(),
        "load_average": list(os.getloadavg()),
        "python": platform.python_version(),
        "figures": plain(figures),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Figures written to {path}")
