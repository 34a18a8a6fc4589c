"""The form-handling steps every page shares (core.forms.submit and attempt)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.test import RequestFactory

from okrcoach.core.forms import EditConflict, Refused, Saved, attempt, posted, submit


class NameForm(forms.Form):
    name = forms.CharField(max_length=20)
    version = forms.IntegerField(required=False)


def bound(**data: str) -> NameForm:
    q = QueryDict(mutable=True)
    q.update(data)
    return NameForm(q)


def never_called() -> Any:
    raise AssertionError("the service must not run")


def test_an_unbound_form_is_refused_without_errors_and_the_service_never_runs() -> None:
    form = NameForm(None)
    outcome = submit(form, never_called)
    assert outcome == Refused() and outcome.status == 200
    assert form.errors == {}


def test_invalid_input_is_refused_before_the_service_runs() -> None:
    form = bound(name="")
    assert isinstance(submit(form, never_called), Refused)
    assert "name" in form.errors


def test_what_the_service_returns_is_handed_back() -> None:
    form = bound(name="Ada")
    assert submit(form, lambda: form.cleaned_data["name"].upper()) == Saved("ADA")


def test_a_refusal_keyed_by_field_lands_beside_that_field() -> None:
    form = bound(name="Ada")

    def refuse() -> None:
        raise ValidationError({"name": "Taken.", "elsewhere": "Not a field."})

    assert isinstance(submit(form, refuse), Refused)
    assert form.errors["name"] == ["Taken."]
    assert form.non_field_errors() == ["Not a field."]


def test_a_stale_save_keeps_the_input_takes_the_stored_version_and_answers_409() -> None:
    form = bound(name="Mine", version="3")
    stored = SimpleNamespace(version=4, name="Theirs")

    def stale() -> None:
        raise EditConflict(stored)

    outcome = submit(form, stale)
    assert isinstance(outcome, Refused)
    assert outcome.conflict is stored and outcome.status == 409
    assert form.data["name"] == "Mine" and form.data["version"] == 4
    assert form.non_field_errors()


def test_posted_binds_only_a_post() -> None:
    factory = RequestFactory()
    assert posted(factory.get("/")) is None
    assert posted(factory.post("/", {})) is not None


def test_attempt_turns_a_refusal_into_a_message() -> None:
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = RequestFactory().post("/")
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)

    def refuse() -> None:
        raise ValidationError({"state": "Not now."})

    assert attempt(request, refuse) == Refused()
    assert [str(m) for m in request._messages] == ["Not now."]
    assert attempt(request, lambda: 7) == Saved(7)
