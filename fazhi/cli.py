"""The `fazhi` console command: Django's management commands under one name.

`fazhi deadline ...`, `fazhi audit verify`, `fazhi demo`, `fazhi sweep` and the
standard ones (`fazhi migrate`, `fazhi runserver`) all go through here.

`fazhi report <kind> ...` runs the command `report_<kind>`: each domain app
owns the reports it produces (annual, disclosure ...) without a shared
command that would have to import them all.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) >= 2 and args[0] == "report" and not args[1].startswith("-"):
        args = [f"report_{args[1]}", *args[2:]]
    execute_from_command_line(["fazhi", *args])


if __name__ == "__main__":  # pragma: no cover
    main()
