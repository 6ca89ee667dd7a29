from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    name = "gongjian.rounds"
    verbose_name = _("结对轮次")

    def ready(self) -> None:
        # Its long work, imports and exports register with the jobs (jobs.py: they import no
        # app); what the registry's organization page shows of the rounds registers with the
        # registry (orgs imports no rounds).
        from gongjian.orgs.selectors import register_page_grant, register_partners
        from gongjian.rounds import jobs  # noqa: F401
        from gongjian.rounds.selectors.partners import current_partners, paired_villages

        register_page_grant(paired_villages)
        register_partners(current_partners)
