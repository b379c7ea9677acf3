"""API tokens move from DRF's authtoken (keys stored in clear) to django-rest-knox (SHA-512 digests, with
an expiry). Each existing key becomes a knox token of the same text, so clients keep working, expiring
API_TOKEN_TTL_DAYS after this migration; the clear keys are then deleted from `authtoken_token`.

The authtoken app is no longer installed: its table is read with SQL when an older database has it."""

from django.db import migrations
from django.utils import timezone


def keys_to_digests(apps, schema_editor):
    from knox.crypto import hash_token
    from knox.settings import CONSTANTS, knox_settings

    connection = schema_editor.connection
    if "authtoken_token" not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, user_id FROM authtoken_token")
        rows = cursor.fetchall()
    AuthToken = apps.get_model("knox", "AuthToken")
    ttl = knox_settings.TOKEN_TTL
    expiry = timezone.now() + ttl if ttl else None
    AuthToken.objects.bulk_create(
        AuthToken(digest=hash_token(key), token_key=key[:CONSTANTS.TOKEN_KEY_LENGTH], user_id=user_id, expiry=expiry)
        for key, user_id in rows
    )
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM authtoken_token")


class Migration(migrations.Migration):
    dependencies = [
        ("calculations", "0002_daily_result_run_has_no_index_or_constraint_of_its_own"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [migrations.RunPython(keys_to_digests, migrations.RunPython.noop)]
