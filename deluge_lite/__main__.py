"""`python -m deluge_lite`: the same as the deluge-lite command."""

import sys

from .cli import main

sys.exit(main())
