"""Who may open what: every endpoint's rule in one table, enforced before every request.

An endpoint missing from the table is refused to everyone, so a new route is never public by
accident; ``tests/webui/test_access.py`` walks the whole URL map against this table.
Rules: ``public``, ``staff`` (any logged-in role), or role names joined by ``|``.
"""

from __future__ import annotations

import logging

from flask import Flask, redirect, request, url_for
from flask_login import current_user

from webui.auth.web import check_csrf, is_api_request

PUBLIC, STAFF = "public", "staff"
ROLES = ("admin", "coordinator", "guide")
WRITERS = "coordinator|admin"   # who writes the catalogue
GUIDE = "guide"                 # citizen data: guides, and each only their own team's (casework)
log = logging.getLogger(__name__)

RULES: dict[str, str] = {
    "static": PUBLIC,
    "health.healthz": PUBLIC,           # probes: status codes only (webui/health.py)
    "health.readyz": PUBLIC,
    "catalogue.index": PUBLIC,
    "catalogue.offers": PUBLIC,
    "catalogue.offer": PUBLIC,
    "search.search": PUBLIC,
    "api.offers": PUBLIC,
    "api.offer": PUBLIC,
    "api.suggestions": PUBLIC,
    "api_v1.openapi": PUBLIC,
    "api_v1.search": PUBLIC,
    "api_v1.offers": PUBLIC,
    "api_v1.offer": PUBLIC,
    "api_v1.create_offer": WRITERS,
    "api_v1.update_offer": WRITERS,
    "api_v1.offer_changes": WRITERS,
    "api_v1.verify_offer": WRITERS,
    "api_v1.change_status": WRITERS,
    "api_v1.imports": WRITERS,
    "api_v1.list_citizens": GUIDE,
    "api_v1.create_citizen": GUIDE,
    "api_v1.citizen": GUIDE,
    "api_v1.erase_citizen": GUIDE,
    "api_v1.end_course": GUIDE,
    "api_v1.conversation": GUIDE,
    "api_v1.save_conversation": GUIDE,
    "api_v1.citizen_suggestions": GUIDE,
    "api_v1.add_step": GUIDE,
    "api_v1.citizen_plan": GUIDE,
    "api_v1.step_outcome": GUIDE,
    "api_v1.give_consent": GUIDE,
    "api_v1.withdraw_consent": GUIDE,
    "api_v1.refer": GUIDE,
    "api_v1.referral": GUIDE,
    "api_v1.referral_status": GUIDE,
    "api_v1.followups": GUIDE,
    "api_v1.export_citizen": GUIDE,
    "api_v1.audit": "admin",
    "guide.citizens_list": GUIDE,
    "guide.create": GUIDE,
    "guide.conversation": GUIDE,
    "guide.suggestions": GUIDE,
    "guide.live_suggestions": GUIDE,
    "guide.add_step": GUIDE,
    "guide.citizen_plan": GUIDE,
    "guide.plan_pdf": GUIDE,
    "guide.followups": GUIDE,
    "guide.outcome": GUIDE,
    "guide.refer": GUIDE,
    "guide.referral_status": GUIDE,
    "guide.withdraw": GUIDE,
    "guide.end_course": GUIDE,
    "guide.erase": GUIDE,
    "guide.export": GUIDE,
    "followup.guide_checkin": GUIDE,
    "links.provider": PUBLIC,           # the token in the path authorises (catalogue.tokens)
    "links.citizen_checkin": PUBLIC,
    "api_v1.provider_referral": PUBLIC,
    "api_v1.provider_answer": PUBLIC,
    "api_v1.step_checkin": GUIDE,
    "admin.audit": "admin",
    "admin.audit_export": "admin",
    "coordinator.offers": WRITERS,
    "coordinator.create": WRITERS,
    "coordinator.edit": WRITERS,
    "coordinator.change_status": WRITERS,
    "coordinator.verify": WRITERS,
    "coordinator.history": WRITERS,
    "coordinator.worklists": WRITERS,
    "coordinator.decide_duplicate": WRITERS,
    "coordinator.listing_link": WRITERS,
    "coordinator.confirmation_requests": WRITERS,
    "coordinator.handle_report": WRITERS,
    "coordinator.upload": WRITERS,
    "coordinator.confirm_import": WRITERS,
    "dashboard.overview": WRITERS,
    "dashboard.coverage_download": WRITERS,
    "dashboard.outcomes_download": WRITERS,
    "dashboard.search_terms_download": WRITERS,
    "dashboard.chart": WRITERS,
    "contacts.contacts": WRITERS,
    "contacts.save_contact": WRITERS,
    "api_v1.organizations": WRITERS,
    "api_v1.dashboard_coverage": WRITERS,         # counts only, never a citizen
    "api_v1.dashboard_outcomes": WRITERS,
    "api_v1.dashboard_search_terms": WRITERS,     # counted words, never a query or a person
    "api_v1.organization_contact": WRITERS,
    "auth.login": PUBLIC,
    "auth.logout": STAFF,
    "auth.account": STAFF,
    "auth.account_json": STAFF,
}


def allows(rule: str, role: str | None) -> bool:
    """Whether a visitor with ``role`` (None: not logged in) may use an endpoint with ``rule``."""
    if rule == PUBLIC:
        return True
    if role is None:
        return False
    return rule == STAFF or role in rule.split("|")


def refuse(status: int):
    """401/403 as the contract's JSON error on the API; a login redirect or a page elsewhere."""
    if status == 401 and not is_api_request():
        return redirect(url_for("auth.login", next=request.path))
    from webui.errors import api_error, error_page

    if not is_api_request():
        return error_page(status)
    response, status = api_error(status)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="brobygger"'
    return response, status


def enforce():
    """The one ``before_request`` guard; routing errors (404, 405) pass through to Flask."""
    endpoint = request.endpoint
    if endpoint is None:
        return None
    rule = RULES.get(endpoint)
    if rule is None:
        log.error("Endpoint %s har ingen adgangsregel / has no access rule in webui/access.py",
                  endpoint)
        return refuse(403)
    role = current_user.role if current_user.is_authenticated else None
    if not allows(rule, role):
        return refuse(401 if role is None else 403)
    check_csrf()
    return None


def is_public(endpoint: str | None) -> bool:
    return RULES.get(endpoint or "") == PUBLIC


def init_app(app: Flask) -> None:
    app.before_request(enforce)
