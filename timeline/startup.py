"""What a process of ours does before it loads Jupyter: skip an optional import that costs a second.

``jsonschema`` imports ``rfc3987_syntax`` when it is installed (``jupyter-events``, which every
Jupyter server loads, pulls it in through ``jsonschema[format-nongpl]``), and that package builds a
Lark grammar at import: about 0.95 s of CPU per process on the 2-core machine, a third of a
snapshot's build and a quarter of a server's start. It only checks the ``iri`` and ``iri-reference``
formats, which neither the notebook schema nor Jupyter's event schemas use; without it jsonschema
leaves those two formats unchecked.
"""

from __future__ import annotations

import sys


def skip_slow_optional_imports() -> None:
    """Keep ``rfc3987_syntax`` out of this process (call it before nbformat or Jupyter loads).

    Only for a process that is ours from start to end (``timeline snapshot``, ``timeline serve``):
    it changes what ``import rfc3987_syntax`` does for everything else in the process. A process
    that has already imported it keeps it."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


__all__ = ["skip_slow_optional_imports"]
