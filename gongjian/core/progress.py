"""What long work tells the job running it, without knowing about jobs.

The ground floor: services and readers of any app call these freely; outside a job they do
nothing. :mod:`gongjian.jobs.runner` installs a :class:`Listener` while it runs a job.

- :func:`report` — progress: ``done`` of ``total`` (``total`` None: keep the one known) and
  the stage in words;
- :func:`counted` — iterate over rows while reporting how many have been seen (at most a
  few times a second, so a loop of a million rows does not write a million cache entries);
- :func:`importing` — an import's write phase, "正在导入各行 x/N", for every importer (its
  read-and-check phase is :func:`gongjian.core.tabular.read_table`'s);
- :func:`solving` — a plain ``callable(done, total)`` for the allocation engine (which
  knows nothing of Django or jobs): reports the components solved, "正在求解 x/N 个分量";
- :func:`step` — a job whose work goes in steps (read, solve, store): step ``index`` of
  ``of``; what is reported inside a step (the components solved, rows counted) fills that
  step's share of the bar, and :func:`percent` — the share shown, which
  :mod:`gongjian.jobs.progress` records with each reading — never goes back (the figures of
  a step's inner count may: "1/3" steps, then "0/12" components);
- :func:`stored` — called by a service inside the short transaction that stores its
  result, with that result: the job records its own end in the same transaction, so the
  result and "the job is done" commit together or not at all (a retried job then finds it
  done and stores nothing twice). This is how work that must not hold a transaction for its
  whole length (an allocation's solve) stays exactly-once.
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.utils.translation import gettext as _

T = TypeVar("T")

# Seconds between two progress reports of one loop: the bar polls every 0.5 s.
EVERY = 0.25


@dataclass
class Bar:
    """The bar of a job in steps (:func:`step`): the step it is at, and the highest percent
    shown (None until a first step: the reader then shows ``done/total``)."""

    index: int = 0
    of: int = 0
    shown: int | None = None

    def tell(self, done: int, total: int | None) -> None:
        """A reading inside the current step: ``done`` of ``total`` of the step's share."""
        if not self.of:
            return
        within = min(done, total) / total if total else 0
        share = int((min(self.index, self.of) + within) * 100 / self.of)
        self.shown = min(100, max(self.shown or 0, share))


@dataclass(frozen=True)
class Listener:
    """Who hears a job's work: its progress, and the store of its result (None when the
    job's work runs inside the job's own transaction and needs no completion callback);
    ``bar``: the share of a job in steps, updated before ``progress`` hears a reading."""

    progress: Callable[[int, int | None, str], None]
    stored: Callable[[Any], None] | None = None
    bar: Bar = field(default_factory=Bar)


_listener: contextvars.ContextVar[Listener | None] = contextvars.ContextVar("gongjian_job_listener", default=None)


@contextlib.contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Send this thread's (or task's) reports to ``listener`` for the block's length."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)


def _tell(listener: Listener, done: int, total: int | None, stage: str) -> None:
    """Every reading goes through here: the bar of a job in steps first, then the listener."""
    listener.bar.tell(done, total)
    listener.progress(done, total, stage)


def active() -> bool:
    """True inside a job (someone hears the reports)."""
    return _listener.get() is not None


def report(*, done: int, total: int | None = None, stage: str) -> None:
    """Progress of the running work: ``done`` of ``total`` (None keeps the known total)."""
    listener = _listener.get()
    if listener is not None:
        _tell(listener, done, total, stage)


def step(index: int, of: int, *, stage: str) -> None:
    """The job is at step ``index`` (from 0) of ``of``: it shows ``index/of`` and the stage,
    and every reading until the next step fills this step's share of the bar."""
    listener = _listener.get()
    if listener is None:
        return
    listener.bar.index, listener.bar.of = index, of
    listener.bar.tell(0, None)  # the step's start; its own figures are steps, not its share
    listener.progress(index, of, stage)


def percent() -> int | None:
    """The share of the bar of a job in steps after its last reading, never less than
    before; None outside a job or before its first :func:`step`."""
    listener = _listener.get()
    return listener.bar.shown if listener is not None else None


def counted(items: Iterable[T], *, stage: str, total: int | None = None, start: int = 0) -> Iterator[T]:
    """Yield ``items`` unchanged, reporting how many have been yielded (plus ``start``) under
    ``stage``, at most every :data:`EVERY` seconds and once at the end."""
    listener = _listener.get()
    if listener is None:
        yield from items
        return
    done = start
    _tell(listener, done, total, stage)
    last = time.monotonic()
    for item in items:
        yield item
        done += 1
        now = time.monotonic()
        if now - last >= EVERY:
            _tell(listener, done, total, stage)
            last = now
    _tell(listener, done, total, stage)


def importing(items: Sequence[T], *, total: int | None = None, start: int = 0) -> Iterator[T]:
    """An import's second phase, shared by every importer: yield its checked rows (or what
    it writes of them) while the job shows "正在导入各行 x/N". The first phase, "正在读取并
    校验各行", is :func:`gongjian.core.tabular.read_table`'s. ``total`` (default: the items')
    and ``start`` for an import written in several passes."""
    return counted(items, stage=_("正在导入各行"), total=len(items) if total is None else total, start=start)


def steps(stage: str) -> Callable[[int, int], None] | None:
    """A plain ``callable(done, total)`` reporting ``stage % {"done": done, "total": total}``
    for code that cannot import this module (the engine); at most every :data:`EVERY`
    seconds, the first call and the last (``done == total``) always. None outside a job."""
    listener = _listener.get()
    if listener is None:
        return None
    last = [-EVERY]

    def told(done: int, total: int) -> None:
        now = time.monotonic()
        if done == 0 or done >= total or now - last[0] >= EVERY:
            last[0] = now
            _tell(listener, done, total, stage % {"done": done, "total": total})

    return told


def solving() -> Callable[[int, int], None] | None:
    """The allocation engine's progress callback (``allocate(..., progress=solving())``):
    the independent components solved, "正在求解 x/N 个分量". None outside a job."""
    return steps(_("正在求解 %(done)d/%(total)d 个分量"))


def stored(result: Any) -> None:
    """Tell the running job, inside the transaction that stores ``result``, that its work is
    stored; the job writes its end there (or raises to roll the store back when another
    delivery of the same job has already stored it)."""
    listener = _listener.get()
    if listener is not None and listener.stored is not None:
        listener.stored(result)
