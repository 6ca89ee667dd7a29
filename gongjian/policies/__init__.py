"""Policy profiles: the numbers and rules that differ between places, one YAML file each in
``policies/``, chosen per round. Nothing of this kind lives in code.

Every section is typed and validated when the profile loads; an error names the file and
the key, in Chinese, and a system check (``manage.py check``, runserver) loads every shipped
profile at start-up. Apps read their typed section (``load_profile(key).dispatch``), never
the raw YAML.

Adding a section ``foo:``
  1. write ``gongjian/policies/foo.py``: a frozen dataclass ``FooRules`` and
     ``parse(file, value, done) -> FooRules | None`` that reads ``value`` (the YAML under
     ``foo:``, ``None`` when absent) with :class:`gongjian.policies.reader.Reader`
     (``Reader(file, value, "foo")``; getters without a default make the key required);
  2. register it in :mod:`gongjian.policies.profile`: one line in ``SECTIONS`` and one field
     ``foo: FooRules | None = None`` of ``PolicyProfile``;
  3. give every key in the YAML a comment naming its seed and passage, or "local default"
     (the policy page shows that comment beside the rule), and add a test under
     ``tests/policies/``.

Layering: this package sits above ``core`` and ``matching`` and below every app; it imports
no app (``tests/test_layers.py``).
"""

from gongjian.policies.allocation import AllocationPolicy
from gongjian.policies.assessment import AdjustRule, AssessmentRules, BonusRule
from gongjian.policies.dispatch import DispatchRules
from gongjian.policies.errors import PolicyProfileError
from gongjian.policies.funds import FundsTaxRules
from gongjian.policies.loader import load_profile, parse_profile, policy_dir, profile_choices, profile_keys
from gongjian.policies.members import MembersRules
from gongjian.policies.obligations import (
    OBLIGATION_KINDS,
    PERIODS,
    AtRiskRule,
    FundRule,
    Obligation,
    VisitRule,
)
from gongjian.policies.profile import SECTIONS, PolicyProfile
from gongjian.policies.records import RecordRules
from gongjian.policies.round import RoundRules
from gongjian.policies.secretaries import DepartureRules, SecretaryRules

__all__ = [
    "OBLIGATION_KINDS",
    "PERIODS",
    "SECTIONS",
    "AdjustRule",
    "AllocationPolicy",
    "AssessmentRules",
    "AtRiskRule",
    "BonusRule",
    "DepartureRules",
    "DispatchRules",
    "FundRule",
    "FundsTaxRules",
    "MembersRules",
    "Obligation",
    "PolicyProfile",
    "PolicyProfileError",
    "RecordRules",
    "RoundRules",
    "SecretaryRules",
    "VisitRule",
    "load_profile",
    "parse_profile",
    "policy_dir",
    "profile_choices",
    "profile_keys",
]
