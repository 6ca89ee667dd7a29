"""Joint organizations (联建): village–enterprise, village–cooperative and village–village joint
party branches and joint village committees (联村党委) — seed 000 (Jincheng), seed 003 (Yiyuan).

A joint organization is a node of the registry's tree (``OrgKind.JOINT``); this app holds
what it is besides (its profile, its members, its charters), its pages (under ``/orgs/``),
its import and export, and its pairings' view. It stands above ``rounds`` (a joint
organization's page lists its members' live pairings); its tables keep their names
(``orgs_joint*``) from when it lived in ``orgs``.
"""
