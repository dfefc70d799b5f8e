"""TSBplace core: level-of-care assessment for Norwegian TSB, without any GUI.

Everything a clinic's data passes through lives here (content, rule engine, storage,
letters, command line). The Qt layer (``tsbplace.ui``) only calls into this package;
nothing here may import Qt, and ``tests/core/test_architecture.py`` enforces it.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tsbplace")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
