"""Admin autocomplete boxes that survive any posted value.

Django's autocomplete widget looks the posted keys up again to show a form with
errors, without checking them first: a key no column holds ("abc", 2**64) became
an error page. Admins with ``autocomplete_fields`` use ``KeyCheckedAutocomplete``.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.options import BaseModelAdmin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError

LARGEST_KEY = 2**63 - 1  # BigAutoField


def possible_key(value) -> bool:
    text = str(value)
    return text.isascii() and text.isdigit() and int(text) <= LARGEST_KEY


class KeyCheckedAutocompleteSelect(AutocompleteSelect):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if possible_key(v)], attr)


class KeyCheckedAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if possible_key(v)], attr)


class KeyCheckedAutocomplete(BaseModelAdmin):
    """Mixin for a ModelAdmin or inline: its autocomplete boxes check posted keys."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = KeyCheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = KeyCheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class KeyCheckedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses, with the usual message, a posted key no column holds, before the
    database is asked (SQLite cannot even bind an integer past 2**63)."""

    def _check_values(self, value):
        for key in value:
            if not possible_key(key):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": key},
                )
        return super()._check_values(value)  # type: ignore[misc]
