"""The funds' import of transfers, registered with the jobs (:mod:`gongjian.jobs.work`)
from :class:`gongjian.funds.apps.FundsConfig`."""

from __future__ import annotations

from gongjian.funds.import_transfers import transfer_import
from gongjian.jobs.work import register_importer

register_importer("transfers", transfer_import, page="funds:index")
