"""Migration calculations.0003: DRF's clear token keys become knox digests; the clear keys are deleted."""

from importlib import import_module

from django.apps import apps
from django.db import connection
from knox.models import AuthToken
from rest_framework.test import APIClient

migration = import_module("calculations.migrations.0003_api_tokens_stored_as_digests")


class SchemaEditor:
    """What the migration uses of its schema editor (SQLite's cannot open inside the test's transaction)."""

    connection = connection


DRF_KEY = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"  # DRF's format: 40 hexadecimal characters


def test_an_existing_drf_token_keeps_working_stored_as_a_digest(analyst):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, user_id integer)")
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s, %s)", [DRF_KEY, "2026-01-01 00:00:00", analyst.pk])
    migration.keys_to_digests(apps, SchemaEditor())
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
    token = AuthToken.objects.get()
    assert token.user == analyst and token.expiry is not None and DRF_KEY not in token.digest
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {DRF_KEY}")
    assert client.get("/api/runs").status_code == 200


def test_a_database_without_drf_tokens_is_left_as_it_is(db):
    migration.keys_to_digests(apps, SchemaEditor())
    assert not AuthToken.objects.exists()
