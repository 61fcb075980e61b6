"""Optional dependencies, imported on first use with a message that names the extra to install."""

from __future__ import annotations

import importlib
from types import ModuleType

from waitlab.exceptions import MissingExtraError

__all__ = ["require"]


def require(module: str, extra: str, feature: str) -> ModuleType:
    """Import `module`, or raise :class:`MissingExtraError` naming ``waitlab[extra]``.

    >>> require("math", "none", "arithmetic").sqrt(4.0)
    2.0
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        raise MissingExtraError(
            f"{feature} needs {top}, which is not installed; install it with "
            f"`pip install \"waitlab[{extra}]\"`."
        ) from exc
