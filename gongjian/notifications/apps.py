from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "gongjian.notifications"
    label = "notifications"
    verbose_name = _("通知与待办")

    def ready(self) -> None:
        # Sending and the nightly deadline reminders run as jobs of kind "notifications".
        from gongjian.jobs import work
        from gongjian.notifications import tasks  # noqa: F401  (binds the beat task)
        from gongjian.notifications.outbound import JOB_KIND, run_job

        register = getattr(work, "register", None)
        if register is not None:
            register(JOB_KIND, run_job)
        else:  # the jobs app before its register() (same table underneath)
            vars(work)["WORK"][JOB_KIND] = run_job
