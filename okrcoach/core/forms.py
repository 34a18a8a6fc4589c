"""The steps every form page takes, written once: bind the POST (or nothing on GET), validate,
call one service, and put its refusal where the user will read it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _

from . import bounds

T = TypeVar("T")


class EditConflict(Exception):
    """A save refused because the row changed since its editor read it. `current` is the row as
    stored now; it carries the `version` a deliberate second save must name."""

    def __init__(self, current: Any) -> None:
        super().__init__("stale edit")
        self.current = current


@dataclass(frozen=True)
class Saved(Generic[T]):
    """The service accepted the form; `value` is what it returned."""

    value: T


@dataclass(frozen=True)
class Refused:
    """Invalid input, a refusal (now on the form), or nothing posted yet. `conflict` is the
    stored row when the refusal is a stale save."""

    conflict: Any = None

    @property
    def status(self) -> int:
        """409 for a stale save (the page shows both versions), else 200."""
        return 409 if self.conflict is not None else 200


def posted(request: HttpRequest) -> QueryDict | None:
    """The POST data for a bound form, even when empty (an empty form must show its errors);
    None on GET, so the form is unbound and shows no errors."""
    return request.POST if request.method == "POST" else None


def attach_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: keyed errors beside their field (or the form
    when no such field exists), plain ones at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target if field != NON_FIELD_ERRORS else None, error)
    else:
        form.add_error(None, exc)


def keep_input_for_conflict(form: forms.BaseForm, current: Any) -> None:
    """Keep the editor's input, but with the stored version, so saving again deliberately
    overwrites; say so at the top of the form."""
    data = cast(QueryDict, form.data).copy()
    data["version"] = current.version
    form.data = data
    form.add_error(
        None,
        _(
            "Someone else saved this while you were editing. Their version is "
            "shown below; save again to replace it with yours."
        ),
    )


def submit(form: forms.BaseForm, save: Callable[[], T]) -> Saved[T] | Refused:
    """Validate `form`; if it is valid, call `save` (which reads `form.cleaned_data` and calls
    one service). A ValidationError from the service goes beside the fields it names; an
    EditConflict keeps the input for a second, deliberate save. An unbound form (GET) is
    simply refused, without errors."""
    if not form.is_valid():
        return Refused()
    try:
        return Saved(save())
    except ValidationError as exc:
        attach_errors(form, exc)
    except EditConflict as exc:
        keep_input_for_conflict(form, exc.current)
        return Refused(conflict=exc.current)
    return Refused()


def attempt(request: HttpRequest, action: Callable[[], T]) -> Saved[T] | Refused:
    """For a button without a form (delete, advance, carry over): call the service; its
    refusal becomes an error message on the next page."""
    try:
        return Saved(action())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return Refused()


def value_field(
    label: Any, *, required: bool = True, widget: forms.Widget | None = None
) -> forms.DecimalField:
    """A key result's number (baseline, target, stretch, check-in value) with the bounds the API
    and the services apply (okrcoach.core.bounds)."""
    return forms.DecimalField(
        label=label,
        required=required,
        widget=widget,
        max_digits=bounds.VALUE_MAX_DIGITS,
        decimal_places=bounds.VALUE_DECIMAL_PLACES,
        min_value=-bounds.MAX_VALUE,
        max_value=bounds.MAX_VALUE,
    )
