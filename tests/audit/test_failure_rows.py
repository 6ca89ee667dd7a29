"""A refused write's audit row stays on record when the caller's transaction rolls back
(issue 12.9), and the SM3 chain stays whole. PostgreSQL, transactional: the rows must be
really committed or really rolled back, not inside a test case's transaction."""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.core.signals import request_finished
from django.db import connection, transaction

from gongjian.audit import chain, services
from gongjian.audit.models import AuditEntry
from gongjian.audit.retention import verify_log
from gongjian.audit.services import audit_event, audited
from gongjian.orgs.models import Person
from gongjian.orgs.services import person_create, person_erase
from tests.conftest import Cast

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, databases=["default", "audit"])]


class Outer(Exception):
    """Rolls the caller's transaction back."""


def erase_refused(cast: Cast) -> None:
    person = Person.objects.filter(organization=cast.village).first()
    assert person is not None
    person_erase(actor=cast.outsider, person=person)  # out of scope: refused inside its audited block


def test_a_refusal_outlives_the_outer_transaction(cast: Cast) -> None:
    with pytest.raises(Outer), transaction.atomic():
        try:
            erase_refused(cast)
        except PermissionDenied:
            raise Outer from None
    failed = AuditEntry.objects.get(action="person.erase", success=False)
    assert failed.actor_username == "outsider" and "无权" in failed.reason
    assert verify_log().first_break is None


def test_a_refused_event_outlives_it_too(cast: Cast) -> None:
    with pytest.raises(Outer), transaction.atomic():
        audit_event("person.view_full", actor=cast.unit_user, success=False, reason="无查看完整个人信息的权限")
        raise Outer
    assert AuditEntry.objects.filter(action="person.view_full", success=False).count() == 1
    assert verify_log().first_break is None


def test_after_chained_rows_in_the_same_transaction_the_refusal_is_written_again(cast: Cast) -> None:
    # The outer transaction appended a row first and holds the chain's lock: the failure row
    # goes in it, and once it rolled back it is written again, after it.
    with pytest.raises(Outer), transaction.atomic():
        person_create(actor=None, organization=cast.village, name="回滚", id_number="")
        try:
            erase_refused(cast)
        except PermissionDenied:
            raise Outer from None
    assert not AuditEntry.objects.filter(action="person.erase").exists()  # not before the flush
    request_finished.send(sender=None)
    assert AuditEntry.objects.filter(action="person.erase", success=False).count() == 1
    assert not Person.objects.filter(name="回滚").exists()
    assert not AuditEntry.objects.filter(action="person.create", object_repr="回滚").exists()
    assert verify_log().first_break is None


def test_when_the_outer_transaction_commits_the_row_is_there_once(cast: Cast) -> None:
    with transaction.atomic():
        person_create(actor=None, organization=cast.village, name="提交", id_number="")
        with contextlib.suppress(PermissionDenied):
            erase_refused(cast)
    request_finished.send(sender=None)
    with audited("test.after", actor=None):
        pass
    assert AuditEntry.objects.filter(action="person.erase", success=False).count() == 1
    assert AuditEntry.objects.filter(action="person.create", object_repr="提交").count() == 1
    assert verify_log().first_break is None


def test_without_an_outer_transaction_nothing_changes(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        erase_refused(cast)
    assert AuditEntry.objects.filter(action="person.erase", success=False).count() == 1
    assert verify_log().first_break is None


def test_a_lock_held_by_a_session_waiting_for_us_does_not_hang_the_refusal(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another session appended (holds the chain's lock) and now waits for a row our
    # transaction has locked. PostgreSQL cannot see this deadlock across our two connections:
    # the second connection gives up after FAILURE_LOCK_TIMEOUT, the row is kept aside and
    # written once our transaction has ended; the other session then gets its row.
    monkeypatch.setattr(services, "FAILURE_LOCK_TIMEOUT", "200ms")
    person = Person.objects.filter(organization=cast.village).get()
    taken, ours_locked = threading.Event(), threading.Event()
    outcome: list[str] = []

    def other_session() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [chain.LOCK_KEY])
                taken.set()
                ours_locked.wait(10)
                cursor.execute("SET LOCAL lock_timeout = '20s'")
                Person.objects.select_for_update().get(pk=person.pk)
                outcome.append("got the row")
        except Exception as exc:  # reported through the assertion below
            outcome.append(repr(exc))
        finally:
            connection.close()

    other = threading.Thread(target=other_session)
    other.start()
    assert taken.wait(10)
    with pytest.raises(Outer), transaction.atomic():
        Person.objects.select_for_update().get(pk=person.pk)
        ours_locked.set()
        try:
            person_erase(actor=cast.outsider, person=person)
        except PermissionDenied:
            raise Outer from None
    other.join(30)
    assert outcome == ["got the row"]
    request_finished.send(sender=None)
    assert AuditEntry.objects.filter(action="person.erase", success=False).count() == 1
    assert verify_log().first_break is None
