from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .enrolment import enrolment_code_issue
from .models import EnrolmentCode

User = get_user_model()


@admin.action(description="Issue a two-factor enrolment code")
def issue_enrolment_code(modeladmin, request, queryset):
    for user in queryset.filter(is_active=True):
        code = enrolment_code_issue(user=user, by=request.user)
        modeladmin.message_user(
            request,
            f"Enrolment code for {user.username} (shown once; hand it over in person): {code}",
            messages.WARNING,
        )


class StaffUserAdmin(UserAdmin):
    actions = [*UserAdmin.actions, issue_enrolment_code]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # A new account gets its first code at creation: there is no other way to enrol.
            issue_enrolment_code(self, request, User.objects.filter(pk=obj.pk))


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)


@admin.register(EnrolmentCode)
class EnrolmentCodeAdmin(admin.ModelAdmin):
    """Codes are issued from the user list; the rows here are the record of who issued what, when."""

    list_display = ["user", "issued_at", "expires_at", "used_at", "issued_by"]
    readonly_fields = ["user", "code_hash", "issued_at", "expires_at", "used_at", "issued_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
