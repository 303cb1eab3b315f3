"""Trigram indexes for the register's text search (PostgreSQL only; see presidium.search)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from presidium.search import TrigramIndex


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0005_history_import")]

    operations = [
        TrigramExtension(),
        TrigramIndex("suggestion", "title", "sugg_title_trgm"),
        TrigramIndex("suggestion", "number", "sugg_number_trgm"),
        TrigramIndex("suggestion", "content", "sugg_content_trgm"),
    ]
