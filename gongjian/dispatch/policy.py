"""The dispatch section of a policy profile: matching weights, priority villages, term length.

The numbers live in ``policies/*.yaml`` under ``dispatch:`` and are typed and validated when
the profile loads (:mod:`gongjian.policies.dispatch`).
"""

from __future__ import annotations

from gongjian.policies import DispatchRules, load_profile

__all__ = ["DispatchRules", "dispatch_rules"]


def dispatch_rules(policy_key: str) -> DispatchRules:
    """The ``dispatch`` section of profile ``policy_key``; the term falls back to the round's."""
    return load_profile(policy_key).dispatch
