"""The allocation engine: exact, explainable pairing of units and villages.

Pure Python (no Django). **This module is the engine's public API**; everything else in
the package is private to it (``tests/matching/test_boundary.py`` fails if a module outside
the engine imports one). Callers build an :class:`Instance` (selectors, from rows), call
:func:`allocate` (optionally with a :data:`Progress` callback hearing the components
solved), store the :class:`Result` with :func:`result_to_json` (and the instance
with :func:`instance_to_json`), read them back with the ``*_from_json`` readers, and word
every reason — a pair's score components, a village's shortfall
(:meth:`Uncovered.explanation`), a refused input (:func:`input_error_reason`) — with
:func:`describe`. The command line (``gongjian allocate``, :mod:`gongjian.matching.cli`)
runs the same code on files.
"""

from gongjian.matching.engine import allocate, candidate_pair_count
from gongjian.matching.errors import AllocationInputError
from gongjian.matching.formats import (
    FORMAT_VERSION,
    FormatError,
    instance_from_json,
    instance_to_json,
    result_from_json,
    result_to_json,
)
from gongjian.matching.model import (
    Edge,
    Instance,
    Mode,
    Pair,
    PairRef,
    Preference,
    Result,
    Seconds,
    ShortOf,
    Uncovered,
    UncoveredReason,
    Unit,
    Village,
)
from gongjian.matching.optimal import Progress
from gongjian.matching.policy import RULE_MODES, Policy, Rule, load_policy
from gongjian.matching.reasons import Language, Reason, component_labels, describe


def input_error_reason(error: AllocationInputError) -> Reason:
    """The structured reason of a refused input, for :func:`describe`."""
    if error.code == "bad_input":
        return Reason("bad_input", {"message": error.message})
    return Reason(error.code, error.params)


__all__ = [
    "FORMAT_VERSION",
    "RULE_MODES",
    "AllocationInputError",
    "Edge",
    "FormatError",
    "Instance",
    "Language",
    "Mode",
    "Pair",
    "PairRef",
    "Policy",
    "Preference",
    "Progress",
    "Reason",
    "Result",
    "Rule",
    "Seconds",
    "ShortOf",
    "Uncovered",
    "UncoveredReason",
    "Unit",
    "Village",
    "allocate",
    "candidate_pair_count",
    "component_labels",
    "describe",
    "input_error_reason",
    "instance_from_json",
    "instance_to_json",
    "load_policy",
    "result_from_json",
    "result_to_json",
]
