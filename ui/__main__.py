"""``python -m tsbplace.ui`` is the same as the ``tsbplace`` command."""

from tsbplace.ui.launch import main

raise SystemExit(main())
