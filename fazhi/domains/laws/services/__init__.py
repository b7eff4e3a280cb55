"""Every write of the laws app."""

from .importer import ImportReport, laws_import
from .versions import relations_rebuild

__all__ = ["ImportReport", "laws_import", "relations_rebuild"]
