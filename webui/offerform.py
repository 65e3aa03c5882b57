"""The coordinators' offer form: every field of the interchange contract, as a Flask-WTF form.

The form only carries values (and the CSRF token); what is valid is decided by the same code an
import uses (``catalogue.editing`` → ``ingest.validate``), after the form's text is typed the way
a CSV cell is (``ingest.cells.convert_cell``: lists separated by ";", "ja"/"nej", numbers).
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import (DateField, HiddenField, SelectField, SelectMultipleField, StringField,
                     TextAreaField)
from wtforms.fields.core import UnboundField
from wtforms.widgets import CheckboxInput, ListWidget

from catalogue.records import INTERCHANGE_FIELDS, OfferRecord
from ingest.cells import LIST_SEPARATOR, convert_cell
from webui.params import whole_number

CHECKBOX_FIELDS = ("target_groups", "accessibility", "roles", "low_threshold")
DATE_FIELDS = ("valid_to", "assured_date")
MAX_VERSION = 999_999


def _date_or_none(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


class CheckboxesField(SelectMultipleField):
    """Several codes of a vocabulary as checkboxes; the validator judges the codes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):   # unknown codes are the validator's to report
        pass


class LooseDateField(DateField):
    """An ``<input type=date>``; text it cannot read is handed on for the validator to refuse."""

    def process_formdata(self, valuelist):
        self.raw_text = (valuelist[0] if valuelist else "").strip()
        self.data = _date_or_none(self.raw_text)


class OfferForm(FlaskForm):
    """One offer; ``version`` is the version the form was opened at (optimistic locking)."""

    version = HiddenField()
    source = StringField(lazy_gettext("Kilde"))
    id = StringField(lazy_gettext("Id"))
    name = StringField(lazy_gettext("Navn"))
    description = TextAreaField(lazy_gettext("Beskrivelse"))
    kind = SelectField(lazy_gettext("Type"), validate_choice=False)
    provider = StringField(lazy_gettext("Udbyder"))
    categories = StringField(lazy_gettext("Kategorier"))
    target_groups = CheckboxesField(lazy_gettext("Målgrupper"))
    min_age = StringField(lazy_gettext("Mindstealder"))
    max_age = StringField(lazy_gettext("Højeste alder"))
    municipalities = StringField(lazy_gettext("Kommuner"))
    requires_referral = SelectField(lazy_gettext("Kræver visitation"), validate_choice=False)
    legal_basis = StringField(lazy_gettext("Lovgrundlag"))
    cost = StringField(lazy_gettext("Pris"))
    address = StringField(lazy_gettext("Adresse"))
    postcode = StringField(lazy_gettext("Postnummer"))
    lat = StringField(lazy_gettext("Breddegrad (lat)"))
    lon = StringField(lazy_gettext("Længdegrad (lon)"))
    schedule = StringField(lazy_gettext("Hvornår"))
    languages = StringField(lazy_gettext("Sprog"))
    accessibility = CheckboxesField(lazy_gettext("Tilgængelighed"))
    valid_to = LooseDateField(lazy_gettext("Sidste dag tilbuddet kører"))
    contact = StringField(lazy_gettext("Kontakt"))
    roles = CheckboxesField(lazy_gettext("Borgeren kan være"))
    low_threshold = CheckboxesField(lazy_gettext("Det sænker tærsklen"))
    capacity = SelectField(lazy_gettext("Plads"), validate_choice=False)
    assured_date = LooseDateField(lazy_gettext("Senest bekræftet"))

    def offer_data(self) -> dict:
        """The interchange record the form describes (``id`` and ``source`` not included)."""
        data: dict = {}
        for name in INTERCHANGE_FIELDS:
            if name in ("id", "status"):
                continue
            field = self[name]
            if name in CHECKBOX_FIELDS:
                data[name] = list(field.data or [])
            elif name in DATE_FIELDS:
                data[name] = field.raw_text if getattr(field, "raw_text", "") else None
            else:
                data[name] = convert_cell(name, field.data)
        return data

    def fill(self, record: OfferRecord, version: int) -> None:
        """Show ``record`` (at ``version``) in the form."""
        self.version.data = str(version)
        self.source.data, self.id.data = record.source, record.id
        self.fill_values(record.to_interchange())

    def fill_values(self, values: dict) -> None:
        """Show interchange ``values`` (a record's, or a merge's) in the offer's fields."""
        for name, value in values.items():
            if name in ("id", "status"):
                continue
            field = self[name]
            if name in CHECKBOX_FIELDS:
                field.data = list(value or [])
            elif name in DATE_FIELDS:
                field.data = _date_or_none(value)
                field.raw_text = value or ""
            elif isinstance(value, list):
                field.data = f"{LIST_SEPARATOR} ".join(value)
            elif isinstance(value, bool):
                field.data = "ja" if value else "nej"
            else:
                field.data = "" if value is None else str(value)


# Each interchange field's label (the history and a conflict name fields by them).
FIELD_LABELS = {name: field.args[0] for name, field in vars(OfferForm).items()
                if isinstance(field, UnboundField) and field.args}
FIELD_LABELS["status"] = lazy_gettext("Status")


def expected_version(form: OfferForm) -> int | None:
    return whole_number((form.version.data or "").strip(), 1, MAX_VERSION)
