"""Shared bits of the deadlines commands."""

import getpass
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


@dataclass(frozen=True)
class CliActor:
    """Who acts from the shell: audited by login name, holds no grants."""

    audit_label: str
    is_authenticated: bool = False
    pk: None = None


def cli_actor() -> CliActor:
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        who = "unknown"
    return CliActor(audit_label=f"cli:{who}")


def command_error(exc: ValidationError, options: dict[str, str]) -> CommandError:
    """A CommandError naming the command-line option each bad field came from."""
    parts = []
    for field, messages in exc.message_dict.items():
        parts.append(f"{options.get(field, field)}：{'；'.join(messages)}")
    return CommandError("\n".join(parts))
