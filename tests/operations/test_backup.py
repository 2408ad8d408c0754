"""The README's backup and restore procedure, run for real against the test PostgreSQL.

The `pg_dump`, `createdb` and `pg_restore` lines are read from the README's blocks (so the
procedure documented is the procedure tested) and run without their `docker compose exec -T
postgres` prefix, with the test database's name, user and server in place of the compose ones.
"""

import os
import re
import shlex
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from declics.notifications.models import OutboxMessage
from tests.factories import UserFactory

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
COMPOSE_PREFIX = ["docker", "compose", "exec", "-T", "postgres"]
COMPOSE_DATABASE, COMPOSE_USER = "declics", "declics"


def documented(marker: str, program: str) -> list[str]:
    """The arguments of the `program` line of the README's shell block after `<!-- marker -->`,
    without the compose prefix and the shell redirection."""
    block = re.search(rf"<!-- {marker} -->\n```sh\n(.*?)```", README, re.S).group(1)
    [line] = [line for line in block.splitlines() if f" {program} " in line]
    words = shlex.split(line)
    assert words[: len(COMPOSE_PREFIX)] == COMPOSE_PREFIX, line
    words = words[len(COMPOSE_PREFIX) :]
    redirection = [index for index, word in enumerate(words) if word in ("<", ">")]
    return words[: redirection[0]] if redirection else words


def adapted(words: list[str], databases: dict[str, str], user: str) -> list[str]:
    """The compose database names and user replaced by the test's."""
    result = []
    for word in words:
        option, equals, value = word.partition("=")
        if equals and option == "--dbname":
            word = f"--dbname={databases[value]}"
        elif equals and option == "--username":
            assert value == COMPOSE_USER
            word = f"--username={user}"
        elif not word.startswith("-") and word in databases:
            word = databases[word]
        result.append(word)
    return result


def test_the_readme_commands_are_the_ones_expected():
    assert documented("backup", "pg_dump")[:2] == ["pg_dump", "--username=declics"]
    assert "--format=custom" in documented("backup", "pg_dump")
    assert documented("restore", "createdb") == ["createdb", "--username=declics", "declics_restored"]
    assert "--exit-on-error" in documented("restore", "pg_restore")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore need PostgreSQL")
def test_a_dump_restored_into_a_fresh_database_has_the_rows(tmp_path):
    person = UserFactory(email="sauvegarde@example.org", first_name="Zoé")
    for key in ("restauration:1", "restauration:2"):
        OutboxMessage.objects.create(
            dedup_key=key, user=person, to_email=person.email, subject="Objet", body_text="Texte"
        )
    source = connection.settings_dict
    fresh = f"{source['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    databases = {COMPOSE_DATABASE: source["NAME"], "declics_restored": fresh}
    env = {
        **os.environ,
        "PGHOST": source["HOST"] or "127.0.0.1",
        "PGPORT": str(source["PORT"] or 5432),
        "PGPASSWORD": source["PASSWORD"] or "",
    }
    dump = tmp_path / "declics.dump"

    def run(marker, program, **redirect):
        words = adapted(documented(marker, program), databases, source["USER"])
        result = subprocess.run(words, env=env, stderr=subprocess.PIPE, timeout=300, **redirect)
        assert result.returncode == 0, result.stderr.decode()

    try:
        with dump.open("wb") as out:
            run("backup", "pg_dump", stdout=out)
        run("restore", "createdb")
        with dump.open("rb") as into:
            run("restore", "pg_restore", stdin=into)

        server = {"host": env["PGHOST"], "port": env["PGPORT"], "password": env["PGPASSWORD"]}
        with psycopg.connect(dbname=fresh, user=source["USER"], **server) as restored:
            users = restored.execute(
                "SELECT email, first_name FROM accounts_user WHERE id = %s", [person.pk]
            ).fetchall()
            messages = restored.execute(
                "SELECT dedup_key FROM notifications_outboxmessage WHERE user_id = %s ORDER BY dedup_key",
                [person.pk],
            ).fetchall()
            migrations = restored.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
    finally:
        dropdb = ["dropdb", "--if-exists", "--force", f"--username={source['USER']}", fresh]
        subprocess.run(dropdb, env=env, capture_output=True, check=True)

    assert dump.stat().st_size > 0
    assert users == [("sauvegarde@example.org", "Zoé")]
    assert messages == [("restauration:1",), ("restauration:2",)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations")
        assert migrations == cursor.fetchone()[0]
