from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True  # the one "partnership.core" names; LockoutConfig is named on its own
    name = "partnership.core"
    verbose_name = _("Sources and publishing")

    def ready(self):
        from partnership.core.index_statistics import analyze_unweighed_indexes
        from partnership.core.roles import sync_roles
        from partnership.core.security import log_failed_login

        post_migrate.connect(sync_roles, sender=self, dispatch_uid="partnership.core.sync_roles")
        post_migrate.connect(
            analyze_unweighed_indexes,
            sender=self,
            dispatch_uid="partnership.core.analyze_unweighed_indexes",
        )
        user_login_failed.connect(
            log_failed_login, dispatch_uid="partnership.security.log_failed_login"
        )


class LockoutConfig(AxesAppConfig):
    """django-axes (sign-in attempts and lockouts), named in the admin in the editor's
    language: the package names its section "Axes" and has no Thai or Japanese catalogue (its
    messages are in core/admin/django_messages.py)."""

    verbose_name = _("Sign-in lockout")
