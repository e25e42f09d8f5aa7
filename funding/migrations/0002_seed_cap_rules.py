from django.db import migrations


def seed(apps, schema_editor):
    from funding.reference import load_cap_rules

    load_cap_rules(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0001_initial"),
        ("projects", "0002_load_categories"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
