"""Django admin writes go into the audit log like every other write."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.forms import ModelForm
from django.forms.models import model_to_dict
from django.http import HttpRequest

from gongjian.audit.services import audited, jsonable


class AuditedModelAdmin(admin.ModelAdmin):
    exclude_from_audit: tuple[str, ...] = ()

    def _audit_dict(self, obj: Model) -> Any:
        data = model_to_dict(obj)
        for name in self.exclude_from_audit:
            data.pop(name, None)
        return jsonable(data)

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        label = obj._meta.model_name
        before = self._audit_dict(type(obj)._default_manager.get(pk=obj.pk)) if change and obj.pk else None
        with audited(f"admin.{label}.{'update' if change else 'create'}", actor=request.user, target=obj) as record:
            record.before = before
            super().save_model(request, obj, form, change)
            record.after = self._audit_dict(obj)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        with audited(f"admin.{obj._meta.model_name}.delete", actor=request.user, target=obj) as record:
            record.before = self._audit_dict(obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
