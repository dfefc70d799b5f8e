"""The bundled program's entry point: the ``tsbplace`` command (``tsbplace.ui.launch``).

PyInstaller needs a script, not a console-script entry point. A windowed Windows
executable has no standard streams at all (``sys.stdout`` is None), so give it empty ones
before anything prints: ``tsbplace.exe --version`` then exits quietly instead of crashing.
The commands are meant for ``tsbplace-cli.exe`` there (packaging/README.md).
"""

import os
import sys

for _name in ("stdin", "stdout", "stderr"):
    if getattr(sys, _name) is None:
        setattr(sys, _name, open(os.devnull, "r" if _name == "stdin" else "w", encoding="utf-8"))  # noqa: SIM115

from tsbplace.ui.launch import main  # noqa: E402

raise SystemExit(main())
