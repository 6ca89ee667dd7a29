"""The audit log's pages: the auditor's search, page and export (``/audit/``).

They read the user's subtree (:class:`gongjian.orgs.scope.Scope`), so they stand above the
registry; the log itself — the writer (``audited``, ``audit_event``), the chain, the
models — stays in :mod:`gongjian.audit`, on the ground floor, below every app that writes.
"""
