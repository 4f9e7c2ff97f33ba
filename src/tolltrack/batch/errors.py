"""What stops a batch, and the optional packages it needs, named with the pip
command that installs them."""

from __future__ import annotations

import importlib
from types import ModuleType


class BatchError(Exception):
    """The batch cannot go on: a one-line reason naming the input at fault."""


_EXTRAS = {
    "pyarrow": "pip install 'tolltrack[parquet]'",
    "distributed": "pip install 'tolltrack[cluster]'",
    "fsspec": "pip install 'tolltrack[cluster]'",
}


def need(module: str, purpose: str) -> ModuleType:
    """Import ``module`` (pyarrow or one of its modules, distributed, fsspec), or
    raise BatchError saying what ``purpose`` needs it for and how to install it."""
    package = module.split(".")[0]
    try:
        return importlib.import_module(module)
    except ImportError:
        raise BatchError(f"{purpose} needs {package}: {_EXTRAS[package]}") from None
