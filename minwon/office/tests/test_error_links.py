"""The error summary of an office action form links every error to an element that exists: an
error of the whole form goes to the form's first field, not to `#id_<action>-__all__`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.test import Client

from minwon.accounts.models import OrgUnit, User
from minwon.complaints import services as s
from minwon.lawclock.kinds import ComplaintKind
from minwon.office.schemas import AnswerForm
from minwon.web.forms import summary_errors
from tests.factories import complaint_filed

pytestmark = pytest.mark.django_db


class _Whole(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    when = forms.DateField(required=False)

    def clean(self) -> dict[str, Any]:
        self.add_error(None, "The whole form is wrong.")
        return {}


def test_an_error_of_the_whole_form_links_to_its_first_visible_field() -> None:
    form = _Whole({}, prefix="excluded")
    assert summary_errors(form) == [("excluded-when", "The whole form is wrong.")]


def test_the_office_summary_never_links_to_all(
    officer_client: Callable[[User], Client],
    road_officer: User,
    road_unit: OrgUnit,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    complaint = complaint_filed(ComplaintKind.GRIEVANCE, org_unit=road_unit)
    s.complaint_assign(complaint=complaint, actor=road_officer, assignee=road_officer)

    def clean(self: AnswerForm) -> dict[str, Any]:
        data = forms.Form.clean(self) or {}
        self.add_error(None, "The whole form is wrong.")
        return data

    monkeypatch.setattr(AnswerForm, "clean", clean)
    response = officer_client(road_officer).post(
        f"/office/complaints/{complaint.pk}/answer/",
        {"answer-outcome": "granted", "answer-answer": "고쳤습니다."},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "__all__" not in page
    assert 'href="#id_answer-outcome">The whole form is wrong.' in page
    assert 'id="id_answer-outcome"' in page
