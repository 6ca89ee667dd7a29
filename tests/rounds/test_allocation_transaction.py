"""An allocation run solves outside any database transaction (issue 14 point 2): another
connection can write to the round's tables, even lock the round's row, during the solve;
a change to what the engine read makes the store step refuse, in Chinese, and nothing is
stored. Engine refusals reach the page as Chinese sentences naming unit and village."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.utils import translation

from gongjian.audit.models import AuditEntry
from gongjian.matching import Instance, Result
from gongjian.rounds import services_allocation
from gongjian.rounds.errors import RoundActionRefused
from gongjian.rounds.models import AllocationRun, DirectoryEntry, Round
from gongjian.rounds.services_allocation import allocation_run
from tests.conftest import Cast
from tests.rounds.conftest import make_round


def in_other_connection(work: Callable[[], None]) -> list[BaseException]:
    """Run ``work`` on a thread (its own database connection); return what it raised."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # handed back to the test
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "the other connection was blocked"
    return errors


def solving_with(monkeypatch: pytest.MonkeyPatch, during: Callable[[], None]) -> dict[str, Any]:
    """Make the engine call ``during`` (on another connection) in the middle of its solve,
    and record whether the service held a transaction at that moment."""
    seen: dict[str, Any] = {}
    real = services_allocation.allocate

    def allocate(instance: Instance, **options: Any) -> Result:
        seen["in_transaction"] = connection.in_atomic_block
        seen["errors"] = in_other_connection(during)
        return real(instance, **options)

    monkeypatch.setattr(services_allocation, "allocate", allocate)
    return seen


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_change_during_the_solve_makes_the_store_refuse(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    round_ = make_round(cast)

    def meanwhile() -> None:
        with transaction.atomic():
            # NOWAIT: fails at once if the run held the round's row (or any transaction on it).
            Round.objects.select_for_update(nowait=True).get(pk=round_.pk)
            DirectoryEntry.objects.filter(round=round_, village=cast.village).update(max_pairs=F("max_pairs") + 1)

    seen = solving_with(monkeypatch, meanwhile)
    with pytest.raises(RoundActionRefused) as refused:
        allocation_run(actor=cast.city_admin, round_=round_)
    assert seen == {"in_transaction": False, "errors": []}
    assert refused.value.code == "round_changed"
    assert "名录中的村或其结对数" in refused.value.message and "请重新运行" in refused.value.message
    assert not AllocationRun.objects.filter(round=round_).exists()
    failure = AuditEntry.objects.get(action="allocation.run", success=False)
    assert "名录中的村或其结对数" in failure.reason


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_write_the_engine_did_not_read_does_not_stop_the_run(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    round_ = make_round(cast)

    def meanwhile() -> None:
        with transaction.atomic():
            Round.objects.select_for_update(nowait=True).filter(pk=round_.pk).update(name="改名不影响分配")

    seen = solving_with(monkeypatch, meanwhile)
    run = allocation_run(actor=cast.city_admin, round_=round_)
    assert seen == {"in_transaction": False, "errors": []}
    assert run.number == 1 and run.result["format"] == "gongjian.allocation.result"
    assert AuditEntry.objects.filter(action="allocation.run", success=True).count() == 1


@pytest.mark.django_db
def test_an_engine_refusal_is_a_chinese_sentence_naming_unit_and_village(cast: Cast) -> None:
    """Issue 11 point 6: not "pins, row 1, column village: pin 142–136 is forbidden by ..."."""
    round_ = make_round(cast)
    entry = DirectoryEntry.objects.get(round=round_, village=cast.village)
    pair = (cast.unit.pk, cast.village.pk)
    with pytest.raises(RoundActionRefused) as refused:
        allocation_run(actor=cast.city_admin, round_=round_, pins=[pair], forbids=[pair])
    village = f"{cast.village.name}（{entry.county}{entry.town}）"
    assert refused.value.code == "pin_forbidden"
    assert refused.value.message.startswith(f"指定结对“{cast.unit.name}")
    assert f"—{village}”同时被禁止结对" in refused.value.message
    assert "row" not in refused.value.message and str(cast.unit.pk) not in refused.value.message
    assert AuditEntry.objects.filter(action="allocation.run", success=False, reason=refused.value.message).exists()
    with translation.override("en"), pytest.raises(RoundActionRefused) as english:
        allocation_run(actor=cast.city_admin, round_=round_, pins=[pair], forbids=[pair])
    assert english.value.message.startswith(f"the pin {cast.unit.name}")
    assert english.value.message.endswith("is also forbidden; a pair cannot be both")
