from decimal import Decimal

from django.db import migrations

# PRODUCT.md: default weights 0.45/0.35/0.20, staff 0.30/0.50/0.20;
# minimum passing 70/65/60.
PROFILES = {
    "default": ("0.45", "0.35", "0.20"),
    "senior-backend": ("0.45", "0.35", "0.20"),
    "senior-frontend": ("0.45", "0.35", "0.20"),
    "staff": ("0.30", "0.50", "0.20"),
}


def seed(apps, schema_editor):
    RoleProfile = apps.get_model("hiring", "RoleProfile")
    for name, (technical, leadership, culture) in PROFILES.items():
        RoleProfile.objects.get_or_create(
            name=name,
            defaults={
                "weight_technical": Decimal(technical),
                "weight_leadership": Decimal(leadership),
                "weight_culture": Decimal(culture),
                "min_technical": Decimal(70),
                "min_leadership": Decimal(65),
                "min_culture": Decimal(60),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("hiring", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
