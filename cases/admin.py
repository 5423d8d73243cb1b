from django import forms
from django.contrib import admin

from . import models


class AppendOnlyAdmin(admin.ModelAdmin):
    """Timelines and audit rows are evidence: the admin may read them, never change them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Command)
class CommandAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(models.Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["staff_number", "collar_number", "last_name", "first_name", "rank", "command", "status"]
    list_filter = ["kind", "status", "rank"]
    search_fields = ["staff_number", "collar_number", "last_name"]
    raw_id_fields = ["command", "user", "created_by", "updated_by"]
    list_select_related = ["command"]


@admin.register(models.Allegation)
class AllegationAdmin(admin.ModelAdmin):
    list_display = ["id", "subject", "category", "source", "received_on", "status"]
    list_filter = ["category", "source", "status"]
    raw_id_fields = ["subject", "case", "created_by", "updated_by"]
    list_select_related = ["subject"]


@admin.register(models.Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["reference", "subject", "status", "severity", "route", "outcome", "restricted"]
    list_filter = ["status", "severity", "route", "restricted"]
    search_fields = ["reference"]
    raw_id_fields = ["subject", "investigator", "created_by", "updated_by"]
    list_select_related = ["subject"]


@admin.register(models.CaseEvent)
class CaseEventAdmin(AppendOnlyAdmin):
    list_display = ["case", "kind", "from_status", "to_status", "actor", "at"]
    list_select_related = ["case", "actor"]


@admin.register(models.Conviction)
class ConvictionAdmin(admin.ModelAdmin):
    list_display = ["officer", "kind", "category", "as_minor", "convicted_on", "while_serving", "review_status"]
    list_filter = ["kind", "category", "as_minor", "while_serving", "review_status", "policy_action"]
    raw_id_fields = ["officer", "created_by", "updated_by"]
    readonly_fields = ["policy_rule", "policy_action"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        from .services import conviction_policy_stamp, conviction_published

        conviction_policy_stamp(obj)
        if not change:
            conviction_published(conviction=obj, by=request.user)


class ConvictionPolicyRuleForm(forms.ModelForm):
    # The categories as ticks, kept as a JSON list of ConvictionCategory values (none ticked: any).
    categories = forms.MultipleChoiceField(
        choices=models.ConvictionCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Offence categories this rule covers; none for any.",
    )

    class Meta:
        model = models.ConvictionPolicyRule
        fields = ["order", "active", "name", "categories", "kind", "as_minor", "while_serving", "action", "citation"]


@admin.register(models.ConvictionPolicyRule)
class ConvictionPolicyRuleAdmin(admin.ModelAdmin):
    """The review policy for cautions and convictions: saving or deleting a rule re-applies the whole policy
    to every conviction (set-based, cases/services/conviction_policy.py)."""

    form = ConvictionPolicyRuleForm
    list_display = ["order", "name", "active", "categories", "kind", "as_minor", "while_serving", "action"]
    list_editable = ["active"]
    ordering = ["order"]

    def _reapply(self):
        from .services import conviction_policy_apply

        conviction_policy_apply()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._reapply()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._reapply()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        self._reapply()


@admin.register(models.ReviewBatch)
class ReviewBatchAdmin(admin.ModelAdmin):
    list_display = ["name", "period_start", "period_end"]


@admin.register(models.OnyxReview)
class OnyxReviewAdmin(admin.ModelAdmin):
    list_display = ["reference", "subject", "status", "decision", "reviewer"]
    list_filter = ["status", "decision"]
    search_fields = ["reference"]
    raw_id_fields = ["subject", "reviewer", "batch", "created_by", "updated_by"]
    filter_horizontal = []
    exclude = ["past_cases", "past_allegations"]


@admin.register(models.PanelAssignment)
class PanelAssignmentAdmin(admin.ModelAdmin):
    list_display = ["review", "panel_member", "round", "verdict"]
    list_filter = ["verdict"]
    raw_id_fields = ["review", "panel_member", "created_by", "updated_by"]


@admin.register(models.ConflictOfInterest)
class ConflictOfInterestAdmin(admin.ModelAdmin):
    list_display = ["user", "officer", "reason", "declared_at"]
    raw_id_fields = ["user", "officer", "declared_by"]


@admin.register(models.AccessRecord)
class AccessRecordAdmin(AppendOnlyAdmin):
    list_display = ["at", "user", "object_type", "object_id", "view", "ip_address"]
    list_filter = ["object_type"]


@admin.register(models.OfficerEvent)
class OfficerEventAdmin(AppendOnlyAdmin):
    list_display = ["officer", "kind", "from_value", "to_value", "actor", "at"]


@admin.register(models.ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """The administrator's page for API clients: create one (its token is shown once, in the message
    after saving), rotate its token, or revoke it. Every change goes through cases/services/api_clients.py."""

    list_display = ["name", "role", "user", "token_expires_at", "last_used_at", "revoked_at"]
    list_filter = ["role"]
    fields = ["name", "role", "user"]
    raw_id_fields = ["user"]
    actions = ["rotate", "revoke"]

    def get_readonly_fields(self, request, obj=None):
        return ["name", "role", "user"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from django.contrib import messages

        from .services.api_clients import api_client_create

        if change:
            return
        client, token = api_client_create(name=obj.name, role=obj.role, user=obj.user_id and obj.user, by=request.user)
        obj.pk = client.pk
        messages.success(
            request, f"Token for {client.name} (shown once; it expires {client.token_expires_at:%d %B %Y}): {token}"
        )

    @admin.action(description="Issue a new token (the old one stops working)")
    def rotate(self, request, queryset):
        from django.contrib import messages

        from .services.api_clients import api_client_rotate

        for client in queryset:
            client, token = api_client_rotate(client_id=client.pk, by=request.user)
            messages.success(request, f"New token for {client.name} (shown once): {token}")

    @admin.action(description="Revoke (the client can no longer call the API)")
    def revoke(self, request, queryset):
        from .services.api_clients import api_client_revoke

        for client in queryset:
            api_client_revoke(client_id=client.pk, by=request.user)
