from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from gongjian.accounts.models import User
from gongjian.audit.admin_audit import AuditedModelAdmin


@admin.register(User)
class GongjianUserAdmin(AuditedModelAdmin, UserAdmin):
    list_display = ["username", "last_name", "first_name", "role", "organization", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = (*(UserAdmin.fieldsets or ()), ("共建", {"fields": ("role", "organization", "phone")}))
    raw_id_fields = ["organization"]
    # Password hashes never go into the audit log.
    exclude_from_audit = ("password",)
