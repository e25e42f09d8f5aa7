from django.db import migrations


def load(apps, schema_editor):
    from regions.loader import load_successors

    load_successors(apps)


class Migration(migrations.Migration):
    dependencies = [("regions", "0003_legacy_successors")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
