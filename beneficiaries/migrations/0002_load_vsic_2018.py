"""Load the VSIC 2018 codes rural facilities use (reference data; editable afterwards in the admin)."""

from django.db import migrations


def load(apps, schema_editor):
    from beneficiaries.reference.vsic_2018 import rows

    Sector = apps.get_model("beneficiaries", "Sector")
    for code, name, level, parent in rows():
        Sector.objects.update_or_create(
            code=code, defaults={"name": name, "level": level, "parent_id": parent}
        )


def unload(apps, schema_editor):
    apps.get_model("beneficiaries", "Sector").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
