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

        from django.urls import reverse

        from cases.records import RecordKind, record_kind_register

        from .selectors import document_list

        # Document reads are audited (one access record per view or download); the access audit
        # shows a document's rows to those who may open the document.
        record_kind_register(
            RecordKind(
                "documents.document",
                lambda user: document_list(user=user),
                lambda obj: (str(obj), reverse("documents:detail", args=[obj.public_id])),
                audit_type="document",
            )
        )

        from cases.nav import GROUP_OVERSIGHT, NavSection, nav_section_register

        # The supervisors' document work (each shown to whoever its view admits: RETENTION_DECIDERS).
        for section in (
            NavSection(
                "documents_retention", "Documents due for deletion", "documents:retention", 112, group=GROUP_OVERSIGHT
            ),
            NavSection("documents_integrity", "Document integrity", "documents:integrity", 113, group=GROUP_OVERSIGHT),
        ):
            nav_section_register(section)
