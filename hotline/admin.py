from django.contrib import admin

from . import models


@admin.register(models.HotlineReport)
class HotlineReportAdmin(admin.ModelAdmin):
    list_display = ["reference", "category", "status", "received_at", "officer"]
    list_filter = ["category", "status"]
    search_fields = ["reference"]
    raw_id_fields = ["officer", "allegation", "duplicate_of", "updated_by"]
    exclude = ["receipt_hash"]


@admin.register(models.HotlineMessage)
class HotlineMessageAdmin(admin.ModelAdmin):
    list_display = ["report", "sender", "sent_at"]
    raw_id_fields = ["report", "author"]
