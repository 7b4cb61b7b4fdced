from django.db import migrations, models

import teamhealth.encryption

MODELS = ("jiraboard", "pagerdutyschedule")


def _each_token(apps, change):
    # The column is plain text at this step: read it as stored, write it changed.
    for name in MODELS:
        model = apps.get_model("teamhealth", name)
        for pk, token in model.objects.exclude(api_token="").values_list("pk", "api_token"):
            model.objects.filter(pk=pk).update(api_token=change(token))


def encrypt_stored_tokens(apps, schema_editor):
    _each_token(apps, teamhealth.encryption.encrypt)


def decrypt_stored_tokens(apps, schema_editor):
    _each_token(apps, teamhealth.encryption.decrypt)


def _field(cls):
    return cls(help_text="Stored encrypted (KEEL_SECRETS_KEYS).")


class Migration(migrations.Migration):

    dependencies = [
        ("teamhealth", "0010_integration_token_all_teams"),
    ]

    operations = [
        # Fernet tokens are longer than 300 characters would allow for long secrets.
        *(
            migrations.AlterField(model_name=name, name="api_token", field=models.TextField())
            for name in MODELS
        ),
        migrations.RunPython(encrypt_stored_tokens, decrypt_stored_tokens),
        *(
            migrations.AlterField(
                model_name=name,
                name="api_token",
                field=_field(teamhealth.encryption.EncryptedTextField),
            )
            for name in MODELS
        ),
    ]
