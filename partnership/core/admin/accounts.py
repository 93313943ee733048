"""Staff accounts and groups in the admin, refusing to save over a newer change like every
record's form does."""

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

from partnership.core.admin.concurrency import concurrent_form


class StaleSaveMixin:
    """The change form carries the version it was opened on and refuses a stale save."""

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None:
            kwargs.setdefault("form", concurrent_form(self.form))
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and "seen_version" not in flatten_fieldsets(fieldsets):
            fieldsets.append((None, {"fields": ["seen_version"]}))
        return fieldsets


def _register_again(model, admin_class):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, admin_class)


class AccountAdmin(StaleSaveMixin, UserAdmin):
    pass


class StaffGroupAdmin(StaleSaveMixin, GroupAdmin):
    pass


_register_again(get_user_model(), AccountAdmin)
_register_again(Group, StaffGroupAdmin)
