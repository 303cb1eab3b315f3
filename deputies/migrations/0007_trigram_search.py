"""Trigram index for searching deputies by name (PostgreSQL only; see presidium.search)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from presidium.search import TrigramIndex


class Migration(migrations.Migration):
    dependencies = [("deputies", "0006_deputy_code")]

    operations = [
        TrigramExtension(),
        TrigramIndex("deputy", "name", "deputy_name_trgm"),
    ]
