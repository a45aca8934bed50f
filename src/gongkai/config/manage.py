"""Django's manage.py for gongkai: ``python -m gongkai.config.manage migrate`` or ``main([...])``."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    """Run a Django management command; ``argv`` excludes the program name."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongkai-manage", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
