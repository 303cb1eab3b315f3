"""Text search that stays fast at county and province scale.

On PostgreSQL the searched text columns carry trigram indexes (``pg_trgm``, GIN with
``gin_trgm_ops``). Django writes ``icontains`` as ``UPPER(col::text) LIKE UPPER('%q%')``, so the index
is on that same expression; it serves queries of three characters or more (``pg_trgm`` needs a whole
trigram; a two-character query such as ``道路`` is answered by the township filter and a scan of the
township's rows). SQLite keeps the plain ``icontains`` scan. The filters are the same lookups on both
databases, so the results are identical; only the plan differs.

``TrigramIndex`` is the migration operation: a no-op on any database other than PostgreSQL (so the
SQLite test and development databases migrate as before) and invisible to the model state (the
index is not in ``Meta.indexes``, where SQLite could not create it).
"""

from django.db import router
from django.db.migrations.operations.base import Operation


class TrigramIndex(Operation):
    """Create a GIN trigram index on ``UPPER(field::text)`` (what ``icontains`` compares), on
    PostgreSQL only. Needs ``pg_trgm``: put ``TrigramExtension()`` first in the migration."""

    reversible = True

    def __init__(self, model_name: str, field: str, name: str):
        self.model_name, self.field, self.name = model_name, field, name

    def deconstruct(self):
        kwargs = {"model_name": self.model_name, "field": self.field, "name": self.name}
        return self.__class__.__qualname__, [], kwargs

    def state_forwards(self, app_label, state):
        pass

    def _applies(self, schema_editor, model) -> bool:
        return schema_editor.connection.vendor == "postgresql" and router.allow_migrate_model(
            schema_editor.connection.alias, model
        )

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if self._applies(schema_editor, model):
            q = schema_editor.quote_name
            column = model._meta.get_field(self.field).column
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {q(self.name)} ON {q(model._meta.db_table)} "
                f"USING gin (UPPER({q(column)}::text) gin_trgm_ops)"
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        if self._applies(schema_editor, model):
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(self.name)}")

    def describe(self):
        return f"Trigram index {self.name} on {self.model_name}.{self.field} (PostgreSQL only)"

    @property
    def migration_name_fragment(self):
        return f"trgm_{self.name}"
