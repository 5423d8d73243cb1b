from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MisconductConfig(AppConfig):
    name = "misconduct"
    verbose_name = "Misconduct tracker"

    def ready(self):
        from cases.roles import roles_sync

        post_migrate.connect(roles_sync, sender=self, dispatch_uid="misconduct.roles_sync")
