"""The evaluation service: a changed profile re-evaluates without code changes, reminders go
out once (in-app and e-mail), only admins of the scope may run it, every run is audited, and
the cron command does the same."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from gongjian.audit.models import AuditEntry
from gongjian.compliance.models import ObligationResult, PairStatus, ReminderSent
from gongjian.compliance.services import compliance_evaluate
from gongjian.notifications.models import Notification
from gongjian.rounds.models import PairingStatus
from tests.compliance.helpers import run, shanghai_records, stored

D = datetime.date


def test_a_changed_profile_changes_the_results(world_factory: Any, tmp_path: Path, settings: Any) -> None:
    w = world_factory("shanghai")
    shanghai_records(w)
    run(w, D(2027, 1, 31))
    assert stored(w.a).score == 101  # ¥32,000: 1 bonus point above ¥20,000
    assert "projects" in stored(w.b).obligations

    # The same profile in another directory, with ¥40,000 for weak villages and no project duty.
    settings.POLICY_DIR = tmp_path
    text = (Path(settings.BASE_DIR) / "policies" / "shanghai.yaml").read_text("utf-8")
    start = text.index("  # “其他所有结对帮扶")
    end = text.index("# 考核（seed 004")
    text = text[:start] + text[end:]
    text = text.replace("min_yuan: 20000", "min_yuan: 40000")
    (tmp_path / "shanghai.yaml").write_text(text, "utf-8")
    for other in (Path(settings.BASE_DIR) / "policies").glob("*.yaml"):
        if other.name != "shanghai.yaml":
            shutil.copy(other, tmp_path)

    run(w, D(2027, 1, 31))
    a, b = stored(w.a), stored(w.b)
    # ¥32,000 < ¥40,000 → missed, 20 points → 80.
    assert a.obligations["funds_weak"] == "missed"
    assert a.score == 80
    assert a.reasons["funds_weak"].startswith("经济薄弱村帮扶资金（每年）¥32,000.00/¥40,000.00")
    # The project obligation is gone from the profile, and from the stored results.
    assert "projects" not in b.obligations
    assert not ObligationResult.objects.filter(pairing=w.b, obligation_id="projects").exists()


def test_an_ended_pairing_leaves_the_results(world_factory: Any) -> None:
    w = world_factory("shanghai")
    run(w, D(2026, 11, 15))
    assert PairStatus.objects.filter(year=2026).count() == 3
    w.c.status = PairingStatus.ENDED
    w.c.save()
    run(w, D(2026, 11, 15))
    assert set(PairStatus.objects.filter(year=2026).values_list("pairing_id", flat=True)) == {w.a.pk, w.b.pk}
    assert not ObligationResult.objects.filter(pairing=w.c).exists()


def test_reminders_go_once_per_lead_time_in_app_and_by_mail(world_factory: Any) -> None:
    w = world_factory("shanghai")
    shanghai_records(w)
    w.cast.unit_user.email = "unit@example.cn"
    w.cast.unit_user.save()
    w.unit2_user.email = "unit2@example.cn"
    w.unit2_user.save()
    mail.outbox.clear()

    # 2026-11-15, 46 days before 2026-12-31: B's in-charge (1/2) and department (0/2) visits
    # (remind 60 days before), C's in-charge and department visits (0/2 each) and C's funds
    # (remind 90 days before) are due for a reminder: 5, in one notice and mail per unit.
    summary = run(w, D(2026, 11, 15), remind=True)
    assert (summary.reminders, summary.emails) == (5, 2)
    assert sorted(m.to[0] for m in mail.outbox) == ["unit2@example.cn", "unit@example.cn"]
    unit_mail = next(m for m in mail.outbox if m.to == ["unit@example.cn"])
    assert "王家沟村党支部：分管领导走访（每年）1/2 次，截止 2026年12月31日" in unit_mail.body
    assert Notification.objects.filter(organization=w.unit1).count() == 1
    assert Notification.objects.filter(organization=w.unit2).count() == 1
    assert "经济薄弱村帮扶资金" in Notification.objects.get(organization=w.unit2).body

    # The same day again, and a week later: nothing new.
    mail.outbox.clear()
    assert run(w, D(2026, 11, 15), remind=True).reminders == 0
    assert run(w, D(2026, 11, 22), remind=True).reminders == 0
    assert mail.outbox == []
    assert Notification.objects.filter(organization__in=[w.unit1, w.unit2]).count() == 2

    # 2026-12-20, 11 days left: the 15-day (visits) and 30-day (funds) reminders are new.
    summary = run(w, D(2026, 12, 20), remind=True)
    assert summary.reminders == 5 and len(mail.outbox) == 2
    assert ReminderSent.objects.filter(pairing=w.c, obligation_id="funds_weak").count() == 2


def test_only_admins_of_the_scope_evaluate_and_every_run_is_audited(world_factory: Any) -> None:
    w = world_factory("shanghai")
    for user in (w.cast.unit_user, w.cast.sibling_admin, w.cast.outsider, w.cast.village_user):
        with pytest.raises(PermissionDenied):
            compliance_evaluate(actor=user, round_or_scope=w.round, as_of=D(2026, 6, 1))
    # A county admin evaluates the county's subtree (not the city's round).
    summary = compliance_evaluate(actor=w.cast.committee_admin, round_or_scope=w.cast.county, as_of=D(2026, 6, 1))
    assert summary.pairs == 3
    entry = AuditEntry.objects.filter(action="compliance.evaluate", success=True).latest("pk")
    assert entry.actor_username == "county"
    # A and C (weak): four visit levels, funds, feedback to the donor; B (lax): four visit
    # levels, projects, feedback to the donor → 18.
    assert entry.after["pairs"] == 3 and entry.after["obligations"] == 18
    # The four refusals are on record too.
    assert AuditEntry.objects.filter(action="compliance.evaluate", success=False).count() == 4


def test_the_cron_command_evaluates_every_round(world_factory: Any) -> None:
    w = world_factory("anhui")
    call_command("evaluate_compliance", "--as-of", "2026-11-15", "--no-remind", verbosity=0)
    assert stored(w.a).obligations == {"six_musts": "at_risk"}
    entry = AuditEntry.objects.filter(action="compliance.evaluate").latest("pk")
    assert entry.actor_username == "" and entry.after["pairs"] == 3
