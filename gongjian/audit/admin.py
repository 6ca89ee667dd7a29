from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongjian.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: nobody, not even a superuser, edits or deletes the log here."""

    list_display = ["at", "actor_username", "action", "object_repr", "ip_address", "success"]
    list_filter = ["success", "action"]
    search_fields = ["actor_username", "object_repr"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
