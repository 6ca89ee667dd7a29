"""``manage.py demo_activity``: the year of co-building ``make run`` shows, on the demo registry."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from gongjian.compliance.models import PairStatus
from gongjian.funds.models import Transfer
from gongjian.members.models import CadrePair
from gongjian.records.models import PerformanceCard, Visit
from gongjian.rounds.models import Pairing, PairingStatus, Round

ROOT = Path(__file__).resolve().parents[3]


def test_demo_activity_fills_every_program_once(db: None) -> None:
    call_command("demo", scale="county", seed=3, stdout=StringIO())
    out = StringIO()
    call_command("demo_activity", seed=3, stdout=out)
    round_ = Round.objects.get()
    signed = Pairing.objects.filter(round=round_, status=PairingStatus.SIGNED)
    assert signed.count() > 100 and "已签约结对" in out.getvalue()
    assert Visit.objects.filter(pairing__round=round_).exists()
    assert PerformanceCard.objects.filter(pairing__round=round_).exists()
    assert Transfer.objects.filter(pairing__round=round_).exists()
    assert CadrePair.objects.exists()
    assert PairStatus.objects.filter(pairing__round=round_).count() == signed.count()
    # make run calls it on every start: the second time it leaves the data alone.
    again = StringIO()
    call_command("demo_activity", if_empty=True, stdout=again)
    assert "跳过" in again.getvalue() and Round.objects.count() == 1


def test_make_run_demo_on_the_embedded_sqlite_database(tmp_path: Path) -> None:
    """What ``make run`` does, on SQLite: the code paths that differ from PostgreSQL (raw
    aggregate rows, bulk upserts) must work there too."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}", "GONGJIAN_ENV": "development"}
    for command in (["migrate", "-v0"], ["demo", "--scale", "county", "--if-empty"], ["demo_activity", "--if-empty"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stderr[-3000:]
    assert "合规评估：" in done.stdout and "已完成" in done.stdout
