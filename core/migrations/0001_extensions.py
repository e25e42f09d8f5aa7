"""PostgreSQL extensions the portal relies on, and an immutable unaccent wrapper for indexes.

``unaccent()`` is only STABLE, so it cannot appear in an index expression; ``kc_unaccent`` pins the
dictionary and is declared IMMUTABLE, which lets trigram indexes on unaccented names exist.
Search code must call the same function (see core.search) so the planner uses those indexes.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION kc_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, replace(replace($1, 'đ', 'd'), 'Đ', 'D'))) $$;
"""


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunSQL(CREATE_FUNCTION, reverse_sql="DROP FUNCTION IF EXISTS kc_unaccent(text);"),
    ]
