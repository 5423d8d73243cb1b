from django.contrib import admin

from . import models


@admin.register(models.RenewalPeriod)
class RenewalPeriodAdmin(admin.ModelAdmin):
    list_display = ["level", "years", "annual_appraisal"]


@admin.register(models.VettingClearance)
class VettingClearanceAdmin(admin.ModelAdmin):
    list_display = ["officer", "level", "status", "granted_on", "expires_on"]
    list_filter = ["level", "status"]
    raw_id_fields = ["officer", "created_by", "updated_by"]


@admin.register(models.VettingReview)
class VettingReviewAdmin(admin.ModelAdmin):
    list_display = ["officer", "trigger", "status", "outcome", "opened_at"]
    list_filter = ["trigger", "status", "outcome"]
    raw_id_fields = ["officer", "clearance", "assigned_to", "decided_by", "created_by", "updated_by"]


@admin.register(models.PNDCheck)
class PNDCheckAdmin(admin.ModelAdmin):
    list_display = ["officer", "checked_on", "result"]
    list_filter = ["result"]
    raw_id_fields = ["officer", "created_by", "updated_by"]


@admin.register(models.ClearanceNotice)
class ClearanceNoticeAdmin(admin.ModelAdmin):
    list_display = ["clearance", "threshold", "due_on", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = ["threshold"]
    raw_id_fields = ["clearance"]


@admin.register(models.RevettingDraw)
class RevettingDrawAdmin(admin.ModelAdmin):
    list_display = ["period", "percent", "population", "seed", "drawn_at"]
    raw_id_fields = ["drawn_by"]


@admin.register(models.CircumstanceChange)
class CircumstanceChangeAdmin(admin.ModelAdmin):
    list_display = ["officer", "kind", "occurred_on", "reported_at"]
    list_filter = ["kind"]
    raw_id_fields = ["officer", "reported_by"]
