"""The ``gongjian`` console script.

``gongjian allocate ...`` runs the allocation engine on files without loading Django, so
that it starts fast and can run where no database exists. Every other subcommand is a
Django management command (``gongjian demo``, ``gongjian migrate``, ``gongjian runserver``...).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    """Dispatch to the engine's command line or to Django's management commands."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "allocate":
        from gongjian.matching.cli import main as allocate_main

        return allocate_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongjian.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongjian", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
