"""Where the content pack and the migrations are, in a wheel and in a checkout.

The repository keeps one copy of each at its top level (``content/``, ``migrations/``:
editors and Alembic users find them there). The wheel build copies both into the package
(hatchling ``force-include`` in pyproject.toml), so an installed nudgebot reads them with
:mod:`importlib.resources` wherever it is installed. An editable install runs the package
from the checkout, where the build copied nothing; only then do the top-level folders
next to the package serve. Nothing here may depend on the working directory.
"""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path
from typing import Literal

Bundle = Literal["content", "migrations"]


def bundled_dir(name: Bundle) -> Path:
    """The shipped content pack or migrations directory as a real path.

    Wheels install as plain files, so :func:`~importlib.resources.as_file` yields the
    directory itself (Alembic and the pack loader need a path, not a Traversable).
    """
    with as_file(files("nudgebot") / name) as packaged:
        if packaged.is_dir():
            return packaged
        checkout = packaged.parent.parent / name
        if checkout.is_dir():
            return checkout
        raise FileNotFoundError(f"nudgebot is installed without its {name} directory")
