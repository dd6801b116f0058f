"""Addresses of public pages that contexts below the interfaces print or send.

The 접수증 (a complaints document, also served by the JSON API) names the page where a complaint
filed without an account is followed. A context below the web interfaces must not know their URL
names, so the address lives here: the portal routes its page from this constant
(`minwon/portal/urls.py`) and a test checks that the URLconf agrees.
"""

from __future__ import annotations

FOLLOW_PATH = "/follow/"  # the portal's `follow` page: receipt or follow-up number + password
# The office's page of one complaint (officers' notices link to it; `.format(complaint_id=…)`).
OFFICE_COMPLAINT_PATH = "/office/complaints/{complaint_id}/"

# An incident of the register (protection; routed by minwon.protection.urls under /office/).
OFFICE_INCIDENT_PATH = "/office/protection/incidents/{incident_id}/"
