"""Parsing of the notification forms (Django forms as parsers; the rules live in the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minwon.notifications.services.admin import SHORT_MAX, SUBJECT_MAX


class ChannelPreferenceForm(forms.Form):
    """The channels a citizen allows besides in-app notices (which are always kept)."""

    email = forms.BooleanField(label=_("E-mail"), required=False)
    alimtalk = forms.BooleanField(label=_("KakaoTalk AlimTalk"), required=False)
    sms = forms.BooleanField(label=_("Text message (SMS)"), required=False)


class NotificationTemplateForm(forms.Form):
    """The words of one event in one language; placeholders are checked by the service."""

    subject = forms.CharField(
        label=_("Subject (e-mail and in-app title)"), max_length=SUBJECT_MAX, strip=False
    )
    body = forms.CharField(label=_("Text (e-mail and in-app)"), widget=forms.Textarea, strip=False)
    short = forms.CharField(
        label=_("Short text (SMS and AlimTalk)"),
        max_length=SHORT_MAX,
        widget=forms.Textarea,
        strip=False,
    )
    alimtalk_code = forms.CharField(
        label=_("AlimTalk template code"),
        max_length=60,
        required=False,
        help_text=_("The code registered with Kakao; a changed short text needs a new code."),
    )
