from django.contrib import admin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = [
        "dedup_key",
        "channel",
        "to_email",
        "to_phone",
        "status",
        "attempts",
        "send_after",
        "sent_at",
    ]
    list_filter = ["status"]
    search_fields = ["dedup_key", "to_email", "to_phone", "subject"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
