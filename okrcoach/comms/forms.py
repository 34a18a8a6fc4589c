from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import WebhookEndpoint
from .services import MAX_COMMENT
from .webhooks import EVENT_TYPES


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Markdown: **bold**, *italic*, `code`, lists, links. Type @ to mention someone."
        ),
    )
    parent = forms.UUIDField(required=False, widget=forms.HiddenInput)


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    format = forms.ChoiceField(label=_("Format"), choices=WebhookEndpoint.Format.choices)
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=list(EVENT_TYPES.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        if not url.startswith("https://") and not getattr(settings, "WEBHOOK_ALLOW_HTTP", False):
            raise ValidationError(_("Use an https:// address."))
        return url
