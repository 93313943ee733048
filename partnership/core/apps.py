from django.apps import AppConfig
from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "partnership.core"
    verbose_name = _("Sources and publishing")

    def ready(self):
        from partnership.core.roles import sync_roles
        from partnership.core.security import log_failed_login

        post_migrate.connect(sync_roles, sender=self, dispatch_uid="partnership.core.sync_roles")
        user_login_failed.connect(
            log_failed_login, dispatch_uid="partnership.security.log_failed_login"
        )
