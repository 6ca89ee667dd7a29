"""The Scope object: computed once per user object, recomputed when what it depends on
changes, and the subtree rules it owns (organizations, the unit-or-village pairing rule,
rounds, accounts, the audit log) agree with the tree."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from gongjian.accounts.models import User
from gongjian.orgs.models import Organization
from gongjian.orgs.scope import (
    NOTHING,
    Scope,
    ancestor_paths,
    is_within,
    organization_path,
    overlaps,
    pairings_under,
    subtree,
    top_path,
    under,
)
from tests.conftest import Cast


def test_of_is_memoised_on_the_user_object(cast: Cast, monkeypatch) -> None:
    calls: list[int] = []
    compute = Scope.compute.__func__  # type: ignore[attr-defined]

    def counting(cls, user, key=None):  # type: ignore[no-untyped-def]
        calls.append(user.pk)
        return compute(cls, user, key)

    monkeypatch.setattr(Scope, "compute", classmethod(counting))
    user = User.objects.get(pk=cast.committee_admin.pk)
    first = Scope.of(user)
    assert Scope.of(user) is first and len(calls) == 1
    # Another object for the same account (another request) computes its own.
    Scope.of(User.objects.get(pk=user.pk))
    assert len(calls) == 2


def test_recomputed_when_role_or_organization_changes(cast: Cast) -> None:
    user = User.objects.get(pk=cast.committee_admin.pk)
    assert Scope.of(user).root == cast.county
    user.organization = cast.sibling_county
    assert Scope.of(user).root == cast.sibling_county
    user.role = "auditor"
    scope = Scope.of(user)
    assert scope.root is None and scope.audit_root == cast.sibling_county
    user.is_active = False
    assert Scope.of(user).account_root is None


def test_nobody_without_a_subtree_sees_anything(cast: Cast) -> None:
    for nobody in (AnonymousUser(), None, cast.auditor):
        scope = Scope.of(nobody)
        assert scope.root is None and scope.path is None
        assert not scope.contains(cast.village)
        assert scope.organizations().count() == 0
        assert scope.pairings_q() is NOTHING and scope.rounds_q() is NOTHING


def test_contains_and_queries_agree(cast: Cast) -> None:
    for user in cast.all_users():
        scope = Scope.of(user)
        listed = set(scope.organizations().values_list("pk", flat=True))
        each = {o.pk for o in Organization.objects.all() if scope.contains(o)}
        assert listed == each, user.username


def test_pairing_rule_unit_or_village(cast: Cast) -> None:
    """The rule as a query on a pairing-like row (an organization's own unit and village
    fields stand in here): either side in the subtree makes it visible."""
    scope = Scope.of(cast.village_user)
    q = str(scope.pairings_q(prefix="pairing"))
    assert "pairing__unit__path__startswith" in q and "pairing__village__path__startswith" in q
    assert "entry__village__path__startswith" in str(scope.pairings_q(village="entry__village"))
    assert str(pairings_under(cast.county)) == str(Scope.of(cast.committee_admin).pairings_q())
    assert scope.sees_pair(cast.sibling_unit, cast.village) and not scope.sees_pair(cast.unit, cast.sibling_village)


def test_rounds_rule_takes_part_or_runs(cast: Cast) -> None:
    scope = Scope.of(cast.committee_admin)
    assert scope.overlaps(cast.city)  # a city round: the county takes part
    assert scope.overlaps(cast.town)  # a round inside the county: it runs it
    assert not scope.overlaps(cast.sibling_county)
    assert not scope.overlaps(cast.other_city)


def test_accounts_and_audit_paths(cast: Cast) -> None:
    admin, auditor = Scope.of(cast.city_admin), Scope.of(cast.auditor)
    assert admin.account_path == cast.city.path and admin.audit_path is None
    assert admin.manages_account_of(cast.village) and not admin.manages_account_of(cast.other_city)
    assert set(admin.account_organizations()) == set(subtree(cast.city))
    assert auditor.audit_path == cast.auditor.organization.path and auditor.account_path is None
    assert organization_path(cast.unit_user) == cast.unit.path
    assert organization_path(AnonymousUser()) == "" and organization_path(None) == ""


def test_subtree_of_a_given_organization(cast: Cast) -> None:
    assert set(Organization.objects.filter(under(cast.county))) == set(subtree(cast.county))
    assert cast.village in subtree(cast.county) and cast.sibling_village not in subtree(cast.county)
    assert is_within(cast.village, cast.county) and is_within(cast.county, cast.county)
    assert not is_within(cast.county, cast.village)
    assert overlaps(cast.village, cast.city) and overlaps(cast.city, cast.village)
    assert not overlaps(cast.county, cast.sibling_county)
    assert ancestor_paths("/1/4/17/") == ["/1/", "/1/4/", "/1/4/17/"]
    assert top_path(cast.village) == ancestor_paths(cast.village.path)[0]
