"""The coordinators' file import: upload, a dry-run preview, then a confirm step; a full import
that would end more than a tenth of a source's offers needs an explicit extra confirmation.

The same reader, validator and writer as ``brobygger import`` and ``POST /api/v1/imports``
(``ingest.importer.import_catalogue``); the uploaded file waits in the instance folder between
the preview and the confirmation.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from catalogue.editing import EditError, check_source
from catalogue.records import KINDS
from ingest.formats import READERS
from ingest.importer import import_catalogue
from ingest.problems import ImportRejected
from ingest.writer import TooManyEnded
from webui.coordinator import bp
from webui.runtime import runtime
from webui.v1.imports import END_LIMIT, SUFFIXES

TOKEN = re.compile(r"[A-Za-z0-9_-]{20,60}")
SUFFIX = re.compile(r"\.[a-z0-9]{1,10}")
KEEP_PREVIEWS_SECONDS = 24 * 3600   # a preview nobody confirmed within a day is dropped


def _uploads() -> Path:
    """The folder where a file waits between preview and confirmation; files previewed but
    never confirmed are removed once they are older than ``KEEP_PREVIEWS_SECONDS``."""
    folder = runtime().settings.instance_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    too_old = time.time() - KEEP_PREVIEWS_SECONDS
    for waiting in folder.iterdir():
        try:
            if waiting.stat().st_mtime < too_old:
                waiting.unlink(missing_ok=True)
        except FileNotFoundError:
            continue   # confirmed meanwhile in another request
    return folder


def _options(form) -> dict:
    """The import's options from the form; ``abort(400)`` on anything but the offered values."""
    fmt = form.get("format") or "auto"
    default_kind = form.get("default_kind") or None
    if (fmt != "auto" and fmt not in READERS) or (default_kind and default_kind not in KINDS):
        abort(400)
    return {"source": (form.get("source") or "").strip() or "default", "fmt": fmt,
            "full": form.get("full") == "1", "default_kind": default_kind}


def _preview(path: Path, options: dict, confirm_end: bool):
    """Run the import as a dry run: (report, warnings, errors, too_many)."""
    sessions = runtime().sessions
    try:
        report, warnings = import_catalogue(sessions, path, options["fmt"], options["source"],
                                            full=options["full"], dry_run=True,
                                            default_kind=options["default_kind"],
                                            end_limit=None if confirm_end else END_LIMIT)
        return report, warnings, [], None
    except ImportRejected as rejected:
        return None, [], rejected.problems, None
    except TooManyEnded as too_many:
        report, warnings = import_catalogue(sessions, path, options["fmt"], options["source"],
                                            full=options["full"], dry_run=True,
                                            default_kind=options["default_kind"])
        return report, warnings, [], too_many


def _render(status: int = 200, **values):
    return render_template("coordinator/import.html", kinds=KINDS, formats=("auto", *READERS),
                           **values), status


@bp.route("/import", methods=["GET", "POST"])
def upload():
    if request.method == "GET":
        return _render(options={"source": "", "fmt": "auto", "full": False,
                                "default_kind": None})
    options = _options(request.form)
    try:
        check_source(options["source"])
    except EditError as exc:
        return _render(422, options=options, errors_top=[exc])
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _render(422, options=options, no_file=True)
    fmt = options["fmt"]
    suffix = SUFFIXES[fmt] if fmt != "auto" else Path(upload.filename).suffix.lower()
    if not SUFFIX.fullmatch(suffix):
        suffix = ".txt"
    token = secrets.token_urlsafe(24)
    path = _uploads() / f"{token}{suffix}"
    upload.save(path)
    report, warnings, errors, too_many = _preview(path, options, False)
    if errors:
        path.unlink(missing_ok=True)
    return _render(200 if not errors else 422, options=options, report=report,
                   warnings=warnings, errors=errors, too_many=too_many, token=token,
                   suffix=suffix, filename=upload.filename)


@bp.post("/import/bekraeft")
def confirm_import():
    options = _options(request.form)
    token, suffix = request.form.get("token", ""), request.form.get("suffix", "")
    if not TOKEN.fullmatch(token) or not SUFFIX.fullmatch(suffix):
        abort(400)
    path = _uploads() / f"{token}{suffix}"
    if not path.exists():
        flash(gettext("Filen er ikke længere gemt. Send den igen."), "error")
        return redirect(url_for(".upload"))
    confirm_end = request.form.get("confirm_end") == "1"
    try:
        report, _ = import_catalogue(runtime().sessions, path, options["fmt"], options["source"],
                                     full=options["full"], default_kind=options["default_kind"],
                                     end_limit=None if confirm_end else END_LIMIT)
    except (ImportRejected, TooManyEnded):
        report, warnings, errors, too_many = _preview(path, options, confirm_end)
        return _render(409, options=options, report=report, warnings=warnings, errors=errors,
                       too_many=too_many, token=token, suffix=suffix,
                       filename=request.form.get("filename", ""))
    path.unlink(missing_ok=True)
    flash(gettext("Importen er gemt: %(new)s nye, %(changed)s ændrede, %(unchanged)s uændrede, "
                  "%(ended)s afsluttede.", new=len(report.new), changed=len(report.changed),
                  unchanged=len(report.unchanged), ended=len(report.ended)))
    return redirect(url_for(".offers"))
