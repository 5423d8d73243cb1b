from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "cases.documents"
    label = "documents"
    verbose_name = "Case documents and evidence"

    def ready(self):
        from cases.roles import role_permissions_grant

        from .owners import case_owner_kinds_register
        from .roles import ROLE_PERMISSIONS

        role_permissions_grant(ROLE_PERMISSIONS)
        case_owner_kinds_register()
