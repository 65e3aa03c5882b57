"""The admins' audit log page: who read or changed which citizen's data, when and why, with a
CSV export (the same as ``GET /api/v1/audit``)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from casework.rights import audit_log
from webui.desk import desk
from webui.v1.citizens import audit_csv

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/log")
def audit():
    """``?citizen_id=`` narrows the log to one citizen."""
    citizen_id = request.args.get("citizen_id") or None
    return render_template("admin/audit.html", entries=audit_log(desk(), citizen_id),
                           citizen_id=citizen_id)


@bp.get("/log.csv")
def audit_export():
    return audit_csv(audit_log(desk(), request.args.get("citizen_id") or None))
