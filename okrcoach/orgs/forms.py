from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .models import Membership, Organisation, Role, Team
from .selectors import people, team_choices


class MemberChoiceField(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.full_name} ({obj.user.email})"


class TeamChoiceField(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Team) -> str:
        depth = getattr(obj, "tree_depth", 0) or 0
        return ("— " * depth) + obj.name


def _member_field(org: Organisation, label: str, **kwargs: Any) -> MemberChoiceField:
    return MemberChoiceField(queryset=people(org), label=label, required=False, **kwargs)


def _team_field(org: Organisation, label: str, required: bool = False) -> TeamChoiceField:
    return TeamChoiceField(queryset=team_choices(org), label=label, required=required)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"] = _team_field(org, str(_("Team")))
        self.fields["manager"] = _member_field(org, str(_("Manager")))


class MemberForm(forms.Form):
    title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"] = _team_field(org, str(_("Team")))
        self.fields["manager"] = _member_field(org, str(_("Manager")))


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=Team.Kind.choices, initial=Team.Kind.TEAM)

    def __init__(self, *args: Any, org: Organisation, is_root: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not is_root:
            self.fields["parent"] = _team_field(org, str(_("Belongs to")), required=True)
        self.fields["lead"] = _member_field(org, str(_("Lead")))


class ImportForm(forms.Form):
    KIND_CHOICES = [("people", _("People")), ("teams", _("Teams"))]
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=KIND_CHOICES,
        widget=forms.RadioSelect,
        initial="people",
    )
    file = forms.FileField(
        label=_("CSV file"), help_text=_("UTF-8 CSV with a header row, at most 2 MB.")
    )
    send_invitations = forms.BooleanField(
        label=_("Email an invitation to each new person"), required=False, initial=True
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


class OrganisationSettingsForm(forms.ModelForm[Organisation]):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "cycle_length_months",
            "cycle_start_month",
            "check_in_cadence_days",
            "rollup_includes_children",
            "join_domains",
        ]
        widgets = {"join_domains": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        help_text = str(
            _(
                "People whose work address is at one of these domains (for example harbour.test; "
                "separate several with spaces or commas) may join as members at /join/ after "
                "following an emailed link. Public mail providers cannot be listed."
            )
        )
        if not settings.ALLOW_DOMAIN_JOIN:
            help_text += " " + str(
                _("Joining by email domain is off on this installation (ALLOW_DOMAIN_JOIN).")
            )
        self.fields["join_domains"].help_text = help_text


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Your full name"), max_length=150)
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            from okrcoach.accounts.models import User

            try:
                password_validation.validate_password(
                    p1, User(email=self.email, full_name=data.get("full_name", ""))
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class SignUpForm(AcceptInvitationForm):
    """The one-time setup form and self-service sign-up: an organisation and its first admin."""

    organisation_name = forms.CharField(label=_("Organisation name"), max_length=150)
    slug = forms.SlugField(
        label=_("Short name (used in links)"),
        max_length=60,
        required=False,
        help_text=_("Letters, digits and hyphens, for example acme. Left empty: from the name."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, email="", **kwargs)
        # Added here: the parent keeps the address being validated in `self.email`.
        self.fields["email"] = forms.EmailField(label=_("Your email"))
        self.order_fields(
            ["organisation_name", "slug", "full_name", "email", "password1", "password2"]
        )

    def clean(self) -> dict[str, Any]:
        self.email = (self.data.get("email") or "").strip().lower()
        data = super().clean()
        if not data.get("slug") and data.get("organisation_name"):
            data["slug"] = slugify(data["organisation_name"])[:60]
        return data


class DomainJoinForm(forms.Form):
    """/join/: a person asks to join the organisation that lists their email domain."""

    email = forms.EmailField(label=_("Your work email"), max_length=254)
    full_name = forms.CharField(label=_("Your full name"), max_length=150)
