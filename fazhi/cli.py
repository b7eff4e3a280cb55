"""The `fazhi` console command: Django's management commands under one name.

`fazhi deadline ...`, `fazhi audit verify`, `fazhi demo`, `fazhi sweep` and the
standard ones (`fazhi migrate`, `fazhi runserver`) all go through here.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["fazhi", *args])


if __name__ == "__main__":  # pragma: no cover
    main()
