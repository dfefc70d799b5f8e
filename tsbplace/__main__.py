"""``python -m tsbplace``: the headless commands of the core (``--version``, ``self-test``).

The window itself starts from the ``tsbplace`` command or ``python -m tsbplace.ui``: the
core never imports the GUI, so here the GUI command only says how to start it.
"""

from tsbplace.cli import main

raise SystemExit(main())
