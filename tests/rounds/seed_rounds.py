"""Helpers of the seed-fidelity round tests: a round under a named profile, pairs in a given
state without going through allocation, and users for the cast's other organizations."""

from __future__ import annotations

import datetime

from django.test import Client

from gongjian.accounts.models import Role, User
from gongjian.orgs.models import Organization
from gongjian.rounds.models import DirectoryEntry, Pairing, PairingOrigin, PairingStatus, Round
from gongjian.rounds.services_setup import round_create, round_open
from gongjian.rounds.stage import refresh_stage
from tests.conftest import Cast, make_user


def profile_round(cast: Cast, policy_key: str) -> Round:
    """An open round over the cast's city under ``policy_key``, deadlines ahead."""
    today = datetime.date.today()
    round_ = round_create(
        actor=cast.city_admin,
        scope=cast.city,
        name=f"{policy_key} 结对",
        policy_key=policy_key,
        intent_deadline=today + datetime.timedelta(days=10),
        signing_deadline=today + datetime.timedelta(days=40),
        term_start=today + datetime.timedelta(days=40),
        term_end=today + datetime.timedelta(days=40 + 3 * 365),
    )
    return round_open(actor=cast.city_admin, round_=round_)


def pair(round_: Round, unit: Organization, village: Organization, status: str) -> Pairing:
    """A pair of the round in ``status`` (set-up of the test, not the behaviour under test)."""
    entry = DirectoryEntry.objects.get(round=round_, village=village)
    now = datetime.datetime.now(datetime.UTC)
    confirmed = status in (PairingStatus.CONFIRMED, PairingStatus.SIGNED)
    pairing = Pairing.objects.create(
        round=round_,
        entry=entry,
        unit=unit,
        village=village,
        origin=PairingOrigin.ALLOCATION,
        status=status,
        unit_confirmed_at=now if confirmed else None,
        village_confirmed_at=now if confirmed else None,
    )
    refresh_stage(entry)
    return pairing


def close_schedule(round_: Round) -> None:
    """The round's confirmation and signing deadlines have passed (after 1 July)."""
    past = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    Round.objects.filter(pk=round_.pk).update(
        intent_deadline=past - datetime.timedelta(days=60), confirmation_deadline=past, signing_deadline=past
    )
    round_.refresh_from_db()


def user_of(organization: Organization, role: str = Role.UNIT_USER) -> User:
    return make_user(f"u{organization.pk}", role, organization)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
