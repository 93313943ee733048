from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "partnership.core"
    verbose_name = "Sources and publishing"

    def ready(self):
        from partnership.core.roles import sync_roles

        post_migrate.connect(sync_roles, sender=self, dispatch_uid="partnership.core.sync_roles")
