"""JSON API of complaints (thin: parse → access → one service or selector → render).

Citizens use their session or a personal token (`/complaints/...`; their own complaints only)
or, without an account, the receipt number and the password chosen at filing (`citizen`).
Officers use `/office/complaints/...` with a session that passed the second factor or a token;
they reach the complaints of their org units only (`officer`). Files of a complaint, for both
(`attachments`). Integrators use an API key (`/integrations/complaints`, `integrator`).

Every endpoint is a plain function under its route; the operation ids are the ones published
before this package was split (`minwon_complaints_api_…`), so generated clients keep working.
"""

from __future__ import annotations

from minwon.complaints.api.routers import citizen_router, integrator_router, officer_router

# Importing a module adds its endpoints to the routers, in this order (the URL patterns' order).
# isort: off
from minwon.complaints.api import citizen
from minwon.complaints.api import officer
from minwon.complaints.api import attachments
from minwon.complaints.api import integrator

# isort: on

__all__ = [
    "attachments",
    "citizen",
    "citizen_router",
    "integrator",
    "integrator_router",
    "officer",
    "officer_router",
]
