"""``python -m deluge_lite.connections ...``: the connections CLI on its own."""

from __future__ import annotations

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
