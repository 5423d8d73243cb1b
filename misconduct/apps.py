from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MisconductConfig(AppConfig):
    name = "misconduct"
    verbose_name = "Misconduct tracker"

    def ready(self):
        from cases.roles import roles_sync

        post_migrate.connect(roles_sync, sender=self, dispatch_uid="misconduct.roles_sync")

        from cases.nav import GROUP_HOME, GROUP_REPORTS, NavSection, nav_section_register

        # Home is every signed-in reader's way back, even before they hold a role.
        nav_section_register(
            NavSection("home", "Home", "home", 0, visible=lambda user: user.is_authenticated, group=GROUP_HOME)
        )
        nav_section_register(NavSection("dashboard", "Dashboard", "dashboard", 10, group=GROUP_REPORTS))
