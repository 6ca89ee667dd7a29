"""The one-round visibility check (used where the round is already fetched) must say exactly
what the rounds_visible queryset says, for every user of the cast and rounds at every level."""

from __future__ import annotations

import pytest

from gongjian.accounts.models import User
from gongjian.rounds.access import round_visible_to, rounds_visible
from tests.conftest import Cast
from tests.rounds.conftest import make_round


@pytest.mark.django_db
def test_round_visible_to_agrees_with_rounds_visible(cast: Cast) -> None:
    rounds = [
        make_round(cast),  # the city's
        make_round(cast, scope=cast.county),  # a county's, inside the city
        make_round(cast, scope=cast.sibling_county),
    ]
    inactive = User.objects.get(pk=cast.unit_user.pk)
    inactive.is_active = False
    users = [*cast.all_users(), inactive]
    seen = 0
    for user in users:
        visible = set(rounds_visible(user).values_list("pk", flat=True))
        for round_ in rounds:
            assert round_visible_to(user, round_.scope.path) == (round_.pk in visible), (user.username, round_.scope)
            seen += round_.pk in visible
    # Both answers occur: the county admin sees the city's and the county's rounds, not the sibling's.
    assert 0 < seen < len(users) * len(rounds)
    assert not round_visible_to(cast.outsider, cast.city.path)
    assert round_visible_to(cast.committee_admin, cast.city.path)
    assert not round_visible_to(cast.committee_admin, cast.sibling_county.path)
