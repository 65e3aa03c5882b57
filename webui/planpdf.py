"""The citizen's plan as a PDF to take home: the same facts as the plan page, in plain words and
large type, with a bundled Unicode font (DejaVu Sans) so that æ, ø and å print everywhere.

Rendered in the reader's language inside a request (``gettext``); the file holds the citizen's
name and their steps, so it is sent ``no-store`` and named without either."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from flask_babel import gettext
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from catalogue.records import OfferRecord
from webui.i18n import current_language
from webui.templating import address_text, long_when

FONTS = Path(__file__).parent / "data" / "fonts"
# fpdf2 names the characters a font lacks in a warning: they are the citizen's words, and
# nothing a citizen wrote goes in a log.
logging.getLogger("fpdf.output").setLevel(logging.ERROR)
FAMILY = "DejaVu"
BODY, HEADING, TITLE = 14, 17, 24        # points: large, readable type
LINE = 8                                 # millimetres per line of body text


class _PlanDocument(FPDF):
    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FAMILY, size=10)
        self.cell(0, 8, gettext("Side %(page)s", page=self.page_no()), align="C")


def filename(today: date) -> str:
    """``min-plan-2026-12-06.pdf``: no name, no words of the citizen's."""
    return f"min-plan-{today.isoformat()}.pdf"


def _document() -> _PlanDocument:
    pdf = _PlanDocument(format="A4")
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=22)
    pdf.set_lang(current_language())
    pdf.set_title(gettext("Min plan"))
    pdf.set_creator("Brobygger")
    return pdf


def _text(pdf: FPDF, text: str, size: int = BODY, bold: bool = False, space: float = 0) -> None:
    pdf.set_font(FAMILY, "B" if bold else "", size)
    pdf.multi_cell(0, LINE if size <= BODY else size * 0.5, text, new_x=XPos.LMARGIN,
                   new_y=YPos.NEXT)
    if space:
        pdf.ln(space)


def _fact(pdf: FPDF, label: str, value: str) -> None:
    _text(pdf, label, bold=True)
    _text(pdf, value, space=2)


def step_facts(step: dict, offer: OfferRecord | None, network: dict) -> list[tuple[str, str]]:
    """(label, value) for one prøvehandling: where, when, who goes along, the follow-up."""
    facts = []
    if offer is not None:
        facts.append((gettext("Tilbud"), f"{offer.name} ({offer.provider})" if offer.provider
                      else offer.name))
    where = step["where"] or (address_text(offer) if offer is not None else "")
    if where:
        facts.append((gettext("Hvor"), where))
    if step["when"]:
        facts.append((gettext("Hvornår"), long_when(step["when"])))
    companion = network.get(step["companion"]) if step["companion"] else None
    if companion:
        who = companion["name"]
        if companion.get("relation"):
            who = f"{who} ({companion['relation']})"
        facts.append((gettext("Hvem går med"), who))
    if offer is not None and offer.contact:
        facts.append((gettext("Kontakt"), offer.contact))
    if step["follow_up"]:
        facts.append((gettext("Vi taler sammen igen"), long_when(step["follow_up"])))
    return facts


def plan_pdf(plan: dict, network: dict, offers: dict[str, OfferRecord], today: date) -> bytes:
    """The plan (``casework.plan.plan``) as PDF bytes; ``network`` by person id, ``offers`` by
    ``source:id``."""
    pdf = _document()
    pdf.add_page()
    _text(pdf, gettext("Din plan, %(name)s", name=plan["name"]), size=TITLE, bold=True, space=2)
    _text(pdf, gettext("Lavet %(date)s", date=long_when(today)), space=6)
    _text(pdf, gettext("Dine prøvehandlinger"), size=HEADING + 3, bold=True, space=2)
    if not plan["steps"]:
        _text(pdf, gettext("Der er ingen prøvehandlinger i planen endnu."))
    for number, step in enumerate(plan["steps"], start=1):
        _text(pdf, f"{number}. {step['what']}", size=HEADING, bold=True, space=2)
        for label, value in step_facts(step, offers.get(step["offer_id"] or ""), network):
            _fact(pdf, label, value)
        pdf.ln(4)
    return bytes(pdf.output())
