"""The search index moved to a layout with titles in their own table
(search/rank.py). The index is derived data the backends own, so an existing
database rebuilds it here; the backend's create() drops the old layout.
A database holding the whole corpus takes about two minutes."""

from django.db import migrations


def rebuild_search_index(apps, schema_editor):
    from fazhi.domains.laws.search.indexing import reindex

    reindex()


class Migration(migrations.Migration):
    dependencies = [("laws", "0002_normative_documents")]

    operations = [
        migrations.RunPython(rebuild_search_index, migrations.RunPython.noop),
    ]
