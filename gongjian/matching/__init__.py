"""The allocation engine: exact, explainable pairing of units and villages.

Pure Python (no Django): the web app builds an :class:`Instance` from its rows,
calls :func:`allocate`, and stores the :class:`Result`. The command line
(``gongjian allocate``, see :mod:`gongjian.matching.cli`) runs the same code on files.
"""

from gongjian.matching.engine import Solution, allocate, solve_problem, to_result
from gongjian.matching.errors import AllocationInputError
from gongjian.matching.explain import VillageExplanation, explain_village
from gongjian.matching.model import (
    Edge,
    Instance,
    Mode,
    Pair,
    PairRef,
    Preference,
    Result,
    Seconds,
    Uncovered,
    UncoveredReason,
    Unit,
    Village,
)
from gongjian.matching.policy import Policy, load_policy
from gongjian.matching.problem import Problem, build_problem, instance_tables
from gongjian.matching.scoring import COMPONENTS

__all__ = [
    "COMPONENTS",
    "AllocationInputError",
    "Edge",
    "Instance",
    "Mode",
    "Pair",
    "PairRef",
    "Policy",
    "Preference",
    "Problem",
    "Result",
    "Seconds",
    "Solution",
    "Uncovered",
    "UncoveredReason",
    "Unit",
    "Village",
    "VillageExplanation",
    "allocate",
    "build_problem",
    "explain_village",
    "instance_tables",
    "load_policy",
    "solve_problem",
    "to_result",
]
