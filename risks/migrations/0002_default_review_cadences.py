"""The default review cadence per tier: tier 1 every 3 months, tier 2 every 6, tiers 3–4 every 12."""

from django.db import migrations

DEFAULTS = {1: 3, 2: 6, 3: 12, 4: 12}


def create_defaults(apps, schema_editor):
    ReviewCadence = apps.get_model("risks", "ReviewCadence")
    for tier, months in DEFAULTS.items():
        ReviewCadence.objects.get_or_create(tier=tier, defaults={"months": months})


class Migration(migrations.Migration):
    dependencies = [("risks", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
