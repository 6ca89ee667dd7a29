"""Personal data at rest (issue 12.8): SM4 ciphertext in the row, the blind index for
lookups and uniqueness, key handling, rotation, and the migrations that encrypt old rows."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from gongjian.accounts.models import User
from gongjian.audit.models import AuditEntry
from gongjian.core import crypto
from gongjian.core.fields import EncryptedCharField, check_encrypted_models
from gongjian.members.models import MobileMember, Villager
from gongjian.orgs.models import Person
from gongjian.orgs.services import person_create, person_update
from tests.conftest import Cast, fix_check

ID_A = fix_check("110105194912310021")
ID_B = fix_check("440305198801010012")


def raw(table: str, *columns: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id")
        return cursor.fetchall()


def keyring(current: str, **keys: bytes) -> str:
    index = crypto.DEVELOPMENT_KEYS.index_key
    return crypto.dump_data_keys(crypto.DataKeys(current=current, keys=keys, index_key=index))


DEV = crypto.DEVELOPMENT_KEYS.keys["dev1"]
NEW = bytes(range(16))


@pytest.fixture
def person(cast: Cast) -> Person:
    return person_create(
        actor=None, organization=cast.village, name="赵六", id_number=ID_A.lower(), phone="13800138000"
    )


@pytest.mark.django_db
def test_the_row_holds_ciphertext_and_the_index_not_the_value(person: Person) -> None:
    rows = dict((r[0], r[1:]) for r in raw("orgs_person", "id", "phone", "id_number", "phone_index", "id_number_index"))
    phone, id_number, phone_index, id_index = rows[person.pk]
    assert phone.startswith("sm4:dev1:") and id_number.startswith("sm4:dev1:")
    everything = json.dumps(raw("orgs_person", "*"), default=str)
    assert "13800138000" not in everything and ID_A not in everything and ID_A[:14] not in everything
    assert len(phone_index) == 64 and phone_index != id_index
    # Two encryptions of one value differ (random nonce); the index does not.
    other = person_create(actor=None, organization=person.organization, name="钱七", id_number="", phone="13800138000")
    other_row = dict((r[0], r[1:]) for r in raw("orgs_person", "id", "phone", "phone_index"))[other.pk]
    assert other_row[0] != phone and other_row[1] == phone_index


@pytest.mark.django_db
def test_round_trip_and_the_audit_log_keeps_masks(person: Person) -> None:
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.phone, fresh.id_number) == ("13800138000", ID_A)  # stored as the service normalised it
    assert Person.objects.filter(pk=person.pk).values_list("phone", flat=True).get() == "13800138000"
    logged = AuditEntry.objects.get(action="person.create", object_id=str(person.pk)).after
    assert logged["phone"] == "138****8000" and "*" in logged["id_number"]
    assert ID_A not in json.dumps(logged)


@pytest.mark.django_db
def test_exact_and_in_lookups_use_the_blind_index(cast: Cast, person: Person) -> None:
    assert list(Person.objects.filter(phone="138 0013 8000")) == [person]  # normalised like the index
    assert list(Person.objects.filter(id_number=ID_A.lower())) == [person]
    assert list(Person.objects.filter(id_number__in=[ID_B, ID_A])) == [person]
    assert not Person.objects.filter(id_number__in=[]).exists()
    assert person not in Person.objects.exclude(phone="13800138000")
    member = MobileMember.objects.create(
        person=person,
        origin=cast.village,
        location="上海",
        work="务工",
        phone="13900000000",
        left_on=datetime.date(2026, 1, 1),
    )
    assert list(MobileMember.objects.filter(person__id_number__in=[ID_A])) == [member]
    assert list(MobileMember.objects.filter(phone="13900000000")) == [member]
    sql = str(Person.objects.filter(id_number=ID_A).query)
    assert "id_number_index" in sql and ID_A not in sql
    with pytest.raises(FieldError):
        list(Person.objects.filter(phone__icontains="138"))
    with pytest.raises(FieldError):
        list(Person.objects.filter(phone__startswith="138"))


@pytest.mark.django_db
def test_uniqueness_holds_through_the_index(cast: Cast, person: Person) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(organization=cast.village, name="重复", id_number=ID_A)
    # Checked before the database: the error names the ID number, as the service reports it.
    with pytest.raises(ValidationError) as refused:
        person_create(actor=None, organization=cast.village, name="重复", id_number=ID_A)
    assert list(refused.value.message_dict) == ["id_number"]
    # Any number of people without an ID number.
    for name in ("甲", "乙"):
        Person.objects.create(organization=cast.village, name=name, id_number="")
    assert Person.objects.filter(id_number__isnull=True, name__in=["甲", "乙"]).count() == 2


@pytest.mark.django_db
def test_update_bulk_update_and_update_fields_keep_the_index(cast: Cast, person: Person) -> None:
    Person.objects.filter(pk=person.pk).update(phone="13700000001")
    assert Person.objects.get(phone="13700000001") == person
    person.refresh_from_db()
    person.phone = "13700000002"
    Person.objects.bulk_update([person], ["phone"])
    assert Person.objects.get(phone="13700000002").phone == "13700000002"  # the value too, not only its index
    person.phone = "13700000003"
    person.save(update_fields=["phone"])
    assert Person.objects.get(phone="13700000003") == person
    assert not Person.objects.filter(phone__in=["13700000001", "13700000002"]).exists()
    person_update(actor=None, person=person, phone="13700000004")
    assert Person.objects.get(phone="13700000004").phone == "13700000004"


@pytest.mark.django_db
def test_every_encrypted_model_keeps_its_index() -> None:
    assert check_encrypted_models() == []
    tables = {f.model._meta.db_table for f in _encrypted_fields()}
    assert tables == {
        "orgs_person",
        "accounts_user",
        "dispatch_candidate",
        "members_mobilemember",
        "members_villager",
        "records_contact",
    }


def _encrypted_fields() -> list[EncryptedCharField]:
    from django.apps import apps

    return [f for m in apps.get_models() for f in m._meta.concrete_fields if isinstance(f, EncryptedCharField)]


@pytest.mark.django_db
def test_a_wrong_key_is_a_clear_error(person: Person) -> None:
    wrong = override_settings(GONGJIAN_DATA_KEYS=keyring("dev1", dev1=NEW))
    with wrong, pytest.raises(crypto.DataKeyError, match="密钥 dev1 与加密时所用的不同"):
        Person.objects.get(pk=person.pk)
    missing = override_settings(GONGJIAN_DATA_KEYS=keyring("k9", k9=NEW))
    with missing, pytest.raises(crypto.DataKeyError, match="未配置数据密钥 'dev1'"):
        Person.objects.get(pk=person.pk)
    assert Person.objects.get(pk=person.pk).phone == "13800138000"  # the right key again


def test_keyrings_are_checked_and_production_needs_one(tmp_path: Path) -> None:
    with pytest.raises(crypto.DataKeyError, match="生产环境必须配置"):
        crypto.load_data_keys(inline="", file="", production=True)
    with pytest.raises(crypto.DataKeyError, match="应为 16 字节"):
        crypto.parse_data_keys('{"current": "a", "keys": {"a": "00"}, "index": "' + "11" * 32 + '"}')
    with pytest.raises(crypto.DataKeyError, match="current"):
        crypto.parse_data_keys(keyring("dev1", dev1=DEV).replace('"current": "dev1"', '"current": "x"'))
    path = tmp_path / "keys.json"
    path.write_text(keyring("k1", k1=NEW))
    assert crypto.load_data_keys(inline="", file=str(path), production=True).current == "k1"
    with pytest.raises(crypto.DataKeyError, match="无法读取数据密钥文件"):
        crypto.load_data_keys(inline="", file=str(tmp_path / "missing.json"), production=True)


def test_production_settings_refuse_to_start_without_keys() -> None:
    import subprocess
    import sys

    env = {"GONGJIAN_ENV": "production", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org", "PATH": "/usr/bin"}
    done = subprocess.run(
        [sys.executable, "-c", "import gongjian.settings"], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode != 0 and "GONGJIAN_DATA_KEYS or GONGJIAN_DATA_KEY_FILE" in done.stderr
    with override_settings(GONGJIAN_DATA_KEYS="{not json"):
        from django.apps import apps

        with pytest.raises(ImproperlyConfigured, match="JSON"):
            apps.get_app_config("core").ready()


@pytest.mark.django_db
def test_rotation_reencrypts_and_the_old_key_decrypts_until_then(cast: Cast, person: Person) -> None:
    villager = Villager.objects.create(village=cast.village, name="孙八", phone="13600000000", id_number=ID_B)
    both = keyring("k2", dev1=DEV, k2=NEW)
    with override_settings(GONGJIAN_DATA_KEYS=both):
        # Before the rotation: old rows still read, new writes use k2.
        assert Person.objects.get(pk=person.pk).id_number == ID_A
        newcomer = Person.objects.create(organization=cast.village, name="新", phone="13500000000")
        assert dict(raw("orgs_person", "id", "phone"))[newcomer.pk].startswith("sm4:k2:")
        out = StringIO()
        call_command("rotate_data_keys", stdout=out)
        assert "已用密钥 k2 重新加密" in out.getvalue()
        status = StringIO()
        call_command("rotate_data_keys", "--status", stdout=status)
        assert "dev1" not in status.getvalue() and "orgs.Person.phone  k2:" in status.getvalue()
    entry = AuditEntry.objects.filter(action="data_keys.rotate").get()
    assert entry.success and entry.after["current"] == "k2" and entry.after["rows"]["orgs.Person.id_number"] >= 1
    assert entry.after["rows"]["members.Villager.phone"] == 1
    everything = json.dumps(raw("orgs_person", "phone", "id_number") + raw("members_villager", "phone"))
    assert "sm4:dev1:" not in everything and "sm4:k2:" in everything
    # After it the old key can go: everything reads, lookups still work.
    with override_settings(GONGJIAN_DATA_KEYS=keyring("k2", k2=NEW)):
        assert Person.objects.get(id_number=ID_A) == person
        assert Villager.objects.get(pk=villager.pk).phone == "13600000000"
        assert Person.objects.get(phone="13500000000").name == "新"


@pytest.mark.django_db
def test_new_key_prints_a_keyring_with_a_fresh_current_key() -> None:
    out = StringIO()
    call_command("rotate_data_keys", "--new-key", stdout=out)
    ring = crypto.parse_data_keys(out.getvalue())
    assert ring.current == "k1" and ring.keys["dev1"] == DEV and len(ring.keys["k1"]) == 16
    assert ring.index_key == crypto.DEVELOPMENT_KEYS.index_key


@pytest.mark.django_db
def test_rotation_without_the_old_key_fails_audited(person: Person) -> None:
    only_new = override_settings(GONGJIAN_DATA_KEYS=keyring("k2", k2=NEW))
    with only_new, pytest.raises(CommandError, match="未配置数据密钥 'dev1'"):
        call_command("rotate_data_keys", stdout=StringIO())
    assert AuditEntry.objects.filter(action="data_keys.rotate", success=False).exists()


MIGRATIONS = [
    ("orgs", "0006_person_erasure", "0007_personal_data_sm4"),
    ("accounts", "0003_password_policy_and_sessions", "0004_personal_data_sm4"),
    ("members", "0002_letter_forum_care", "0003_personal_data_sm4"),
]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_migrations_encrypt_rows_forward_and_decrypt_them_back(cast: Cast) -> None:
    person = person_create(actor=None, organization=cast.village, name="周九", id_number=ID_B, phone="13811112222")
    User.objects.filter(pk=cast.unit_user.pk).update(phone="13933334444")
    Villager.objects.create(village=cast.village, name="吴十", phone="13655556666", id_number="")
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([(app, before) for app, before, _mine in MIGRATIONS])
        plain = (
            raw("orgs_person", "id", "phone", "id_number")
            + raw("accounts_user", "id", "phone")
            + raw("members_villager", "id", "phone", "id_number")
        )
        text = json.dumps(plain)
        assert "sm4:" not in text
        assert ["13811112222", ID_B] in [list(r[1:]) for r in plain]
        assert "13933334444" in text and "13655556666" in text
        executor = MigrationExecutor(connection)
        executor.migrate([(app, mine) for app, _before, mine in MIGRATIONS])
        text = json.dumps(raw("orgs_person", "phone", "id_number") + raw("accounts_user", "phone"))
        assert "13811112222" not in text and ID_B not in text and "13933334444" not in text
        assert Person.objects.get(id_number=ID_B) == person
        assert User.objects.get(phone="13933334444").pk == cast.unit_user.pk
        assert Villager.objects.get(phone="13655556666").id_number == ""
    finally:
        MigrationExecutor(connection).migrate(leaves)
