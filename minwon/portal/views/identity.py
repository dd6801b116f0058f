"""본인확인 / 간편인증 for a citizen's account: choose a provider, go there, come back confirmed.
The providers are adapters (accounts.domain.IdentityProvider, IDENTITY_PROVIDERS)."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from minwon.accounts.domain import IdentityCheckFailed
from minwon.accounts.providers import identity_provider, identity_providers
from minwon.accounts.selectors import identity_check_latest
from minwon.accounts.services import identity_check_record
from minwon.core.errors import ApplicationError
from minwon.portal.views.session import session_citizen

STATE_KEY = "portal_identity_state"


@login_required
@require_GET
def my_identity(request: HttpRequest) -> HttpResponse:
    citizen = session_citizen(request)
    check = identity_check_latest(user=citizen)
    provider = identity_provider(check.provider) if check is not None else None
    context = {
        "check": check,
        "check_provider": provider.label if provider is not None else check and check.provider,
        "providers": [] if citizen.is_officer else identity_providers(),
    }
    return render(request, "portal/identity.html", context)


@login_required
@require_POST
def my_identity_start(request: HttpRequest, provider_key: str) -> HttpResponse:
    provider = identity_provider(provider_key)
    if provider is None or session_citizen(request).is_officer:
        raise Http404
    state = secrets.token_urlsafe(24)
    request.session[STATE_KEY] = {"state": state, "provider": provider.key}
    return_url = request.build_absolute_uri(
        reverse("portal:my-identity-return", args=[provider.key])
    )
    return HttpResponseRedirect(provider.start(state=state, return_url=return_url))


@login_required
def my_identity_return(request: HttpRequest, provider_key: str) -> HttpResponse:
    """Where the provider sends the browser back (GET or POST, as the provider does)."""
    provider = identity_provider(provider_key)
    pending = request.session.pop(STATE_KEY, None) or {}
    if provider is None or pending.get("provider") != provider_key:
        raise Http404
    params = {k: str(v) for k, v in (request.POST or request.GET).items()}
    try:
        assertion = provider.complete(state=str(pending.get("state", "")), params=params)
        identity_check_record(user=session_citizen(request), assertion=assertion)
    except IdentityCheckFailed as exc:
        if exc.reason == "cancelled":
            messages.info(request, _("The identity check was cancelled. Nothing was changed."))
        else:
            messages.error(
                request, _("The identity check did not succeed. Nothing was changed; try again.")
            )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Your identity is confirmed."))
    return HttpResponseRedirect(reverse("portal:my-identity"))
