"""The demo wing: every generator of demo data, and the ``demo`` and ``demo_activity`` commands.

It sits at the top of the layers (it writes into every app) and nothing else imports it
except the benchmarks and tests. Its parts:

- ``registry/`` — the organization tree, people, accounts and joint organizations of a
  county, a city or a province (``gongjian.demo.registry.generate``, ``manage.py demo``);
- ``activity/`` — a year of co-building on that registry (``manage.py demo_activity``): a
  round with signed pairs (``rounds``), records (``records``, ``text``), funds, members'
  programs (``members``), the talent pool (``dispatch``), practices and the public's
  evaluation (``practices``, ``evaluation``), dynamic adjustments (``adjustments``), the
  village's duties and members' quarterly reports (``duties``) and the notifications of the
  work left open (``notifications``);
- ``management/commands/`` — the two commands.

This module imports nothing: it is loaded while Django populates its app registry.
"""
