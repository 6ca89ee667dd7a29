"""The engine tells a plain callback how many independent components it has solved."""

from __future__ import annotations

import pytest

from gongjian.matching import Edge, Instance, Unit, Village, allocate, optimal


def regions(count: int, size: int = 3) -> Instance:
    """``count`` regions that share no candidate pair: ``size`` units and villages each."""
    units = tuple(Unit(f"u{r}-{i}") for r in range(count) for i in range(size))
    villages = tuple(Village(f"v{r}-{j}") for r in range(count) for j in range(size))
    edges = tuple(
        Edge(f"u{r}-{i}", f"v{r}-{j}", 10 + i + j) for r in range(count) for i in range(size) for j in range(size)
    )
    return Instance(units, villages, edges=edges)


@pytest.mark.parametrize("workers", [1, 2])
def test_the_readings_rise_one_component_at_a_time_and_end_at_all_of_them(
    monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    # Split and (with two workers) fork however small the problem: the national path.
    monkeypatch.setattr(optimal, "SPLIT_MIN_PAIRS", 0)
    monkeypatch.setattr(optimal, "PARALLEL_MIN_PAIRS", 0)
    readings: list[tuple[int, int]] = []
    result = allocate(regions(7), workers=workers, progress=lambda done, total: readings.append((done, total)))
    assert result.covered_slots == 21
    assert readings[0] == (0, 7) and readings[-1] == (7, 7)
    assert {total for _done, total in readings} == {7}
    done = [d for d, _total in readings]
    assert done == sorted(done) and len(set(done)) == len(done)  # rising, never the same twice
    if workers == 1:
        assert done == list(range(8))  # in place: after each component


def test_a_small_problem_is_one_part_and_no_callback_changes_nothing() -> None:
    readings: list[tuple[int, int]] = []
    with_callback = allocate(regions(3), progress=lambda done, total: readings.append((done, total)))
    assert readings == [(0, 1), (1, 1)]  # under SPLIT_MIN_PAIRS: one flow
    assert allocate(regions(3)).pairs == with_callback.pairs


def test_stable_mode_is_one_part() -> None:
    readings: list[tuple[int, int]] = []
    allocate(regions(2), mode="stable", progress=lambda done, total: readings.append((done, total)))
    assert readings == [(0, 1), (1, 1)]
