"""Offers to Open Referral HSDS 3.0 service documents and tables, and back; capacity also as
HSDS 3.1's ``service_capacity``.

Fields HSDS has no home for travel as ``attributes`` linking the service to taxonomy terms of
taxonomies named ``brobygger:<field>``: one term per value (kind, target_groups...), or for
requires_referral, legal_basis and valid_to one term whose attribute ``value`` holds the value.
Taxonomy terms from other taxonomies become categories. HSDS ids must be UUIDs: ours are derived
from the source and the offer's id, and the offer's own id travels as the attribute
``brobygger:id`` so that an export reads back as the same offers.

``capacity`` is written as well as an HSDS 3.1 ``service_capacity`` (in ``capacities``) in the
unit "plads / place", ``updated`` the listing's ``assured_date`` (a capacity nobody confirmed has
no "as of" and is left out there): ``open`` as 1 place available (there is room; we know no
number), ``waitlist`` and ``full`` as 0 with the description saying which. Read back, our own
attribute wins; a service from elsewhere with only ``capacities`` reads as ``open`` when places
are available, else ``waitlist`` when the description or unit speaks of a waiting list, else
``full``.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import defaultdict
from datetime import date

from catalogue.records import LIST_FIELDS, OfferRecord
from catalogue.vocab import label, normalise_code
from ingest.cells import convert_cell
from ingest.problems import ProblemCollector
from ingest.validate import RawRow

# table name -> rows, each with the line (CSV) or position (JSON) of the service it came from
Tables = dict[str, list[tuple[int, dict]]]

TABLES = {  # table -> (key in the JSON object form, CSV file name), as in HSDS's datapackage.json
    "organization": ("organizations", "organizations.csv"),
    "service": ("services", "services.csv"),
    "service_at_location": ("service_at_locations", "service_at_location.csv"),
    "location": ("locations", "locations.csv"),
    "address": ("addresses", "addresses.csv"),
    "accessibility": ("accessibility", "accessibility.csv"),
    "schedule": ("schedules", "schedules.csv"),
    "language": ("languages", "languages.csv"),
    "phone": ("phones", "phones.csv"),
    "attribute": ("attributes", "attributes.csv"),
    "taxonomy_term": ("taxonomy_terms", "taxonomy_terms.csv"),
    "taxonomy": ("taxonomies", "taxonomies.csv"),
    "service_capacity": ("service_capacities", "service_capacity.csv"),   # HSDS 3.1
    "unit": ("units", "units.csv"),                                         # HSDS 3.1
}
COLUMNS = {
    "organization": ("id", "name", "description"),
    "service": ("id", "organization_id", "name", "description", "email", "status",
                "fees_description", "minimum_age", "maximum_age", "assured_date"),
    "service_at_location": ("id", "service_id", "location_id"),
    "location": ("id", "location_type", "latitude", "longitude"),
    "address": ("id", "location_id", "address_1", "city", "state_province", "postal_code",
                "country", "address_type"),
    "accessibility": ("id", "location_id", "description"),
    "schedule": ("id", "service_id", "description"),
    "language": ("id", "service_id", "code"),
    "phone": ("id", "service_id", "number"),
    "attribute": ("id", "link_id", "link_entity", "taxonomy_term_id", "value"),
    "taxonomy_term": ("id", "code", "name", "description", "taxonomy", "taxonomy_id", "language"),
    "taxonomy": ("id", "name", "description"),
    "service_capacity": ("id", "service_id", "unit_id", "available", "description", "updated"),
    "unit": ("id", "name", "scheme", "identifier"),
}
TAXONOMIES = {  # our field -> the taxonomy whose terms carry it
    "id": "brobygger:id", "kind": "brobygger:kind", "categories": "brobygger:category",
    "target_groups": "brobygger:target_group", "municipalities": "brobygger:municipality",
    "roles": "brobygger:role", "low_threshold": "brobygger:low_threshold",
    "capacity": "brobygger:capacity", "requires_referral": "brobygger:requires_referral",
    "legal_basis": "brobygger:legal_basis", "valid_to": "brobygger:valid_to",
}
VALUE_FIELDS = ("id", "requires_referral", "legal_basis", "valid_to")
TERM_FIELDS = tuple(field for field in TAXONOMIES if field not in VALUE_FIELDS)
FIELD_OF_TAXONOMY = {taxonomy: field for field, taxonomy in TAXONOMIES.items()}
STATUS_TO_HSDS = {"active": "active", "paused": "inactive", "ended": "defunct"}
STATUS_FROM_HSDS = {"active": "active", "inactive": "paused", "temporarily closed": "paused",
                    "defunct": "ended"}
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
WEEKDAYS = {"MO": "mandag", "TU": "tirsdag", "WE": "onsdag", "TH": "torsdag", "FR": "fredag",
            "SA": "lørdag", "SU": "søndag"}
NESTED = {  # table -> key of a nested object or list -> (its table, the id that links them)
    "service": {"organization": ("organization", "organization_id"),
                "service_at_locations": ("service_at_location", "service_id"),
                "schedules": ("schedule", "service_id"), "languages": ("language", "service_id"),
                "phones": ("phone", "service_id"), "attributes": ("attribute", "link_id"),
                "capacities": ("service_capacity", "service_id")},
    "service_capacity": {"unit": ("unit", "unit_id")},
    "service_at_location": {"location": ("location", "location_id"),
                            "schedules": ("schedule", "service_at_location_id")},
    "location": {"addresses": ("address", "location_id"),
                 "accessibility": ("accessibility", "location_id")},
    "attribute": {"taxonomy_term": ("taxonomy_term", "taxonomy_term_id")},
    "taxonomy_term": {"taxonomy_detail": ("taxonomy", "taxonomy_id"),
                      "taxonomy_details": ("taxonomy", "taxonomy_id")},
}
PLACE_UNIT = {"name": "plads / place", "scheme": "brobygger", "identifier": "place"}
AVAILABLE = {"open": 1, "waitlist": 0, "full": 0}
WAITING = re.compile(r"vente|wait", re.IGNORECASE)
# Fixed for ever: every HSDS id we write is uuid5(_NAMESPACE, ...), so exports are stable.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "brobygger:hsds")


def hsds_id(*parts: str) -> str:
    """A stable UUID for a row; the parts are encoded so that no two lists of parts collide."""
    return str(uuid.uuid5(_NAMESPACE, json.dumps(parts, ensure_ascii=False)))


def _attribute_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if isinstance(value, date) else str(value)


def _attribute_terms(record: OfferRecord):
    """(field, term code, attribute value) for every value HSDS keeps in attributes."""
    for field in TERM_FIELDS:
        value = getattr(record, field)
        for code in value if isinstance(value, tuple) else () if value is None else (value,):
            yield field, code, None
    for field in VALUE_FIELDS:
        if getattr(record, field) is not None:
            yield field, field, _attribute_text(getattr(record, field))


def _present(**fields) -> dict:
    """The fields that have a value: HSDS wants an unknown field left out, not null."""
    return {key: value for key, value in fields.items() if value is not None and value != ""}


def hsds_service(record: OfferRecord) -> dict:
    """One offer as an HSDS 3.0 service document with its details nested (compiled/service.json).

    Ids are UUIDs derived from the source and our id; our id itself travels as the attribute
    ``brobygger:id``, so reading the document back gives the same offer.
    """
    sid = hsds_id("service", record.source, record.id)
    email = record.contact if EMAIL.fullmatch(record.contact) else None
    organization = hsds_id("organization", record.provider) if record.provider else None
    service = _present(
        id=sid, organization_id=organization, name=record.name, description=record.description,
        email=email, status=STATUS_TO_HSDS[record.status], fees_description=record.cost,
        minimum_age=record.min_age, maximum_age=record.max_age,
        assured_date=record.assured_date.isoformat() if record.assured_date else None)
    if organization:
        service["organization"] = {"id": organization, "name": record.provider,
                                   "description": record.provider}
    if record.contact and not email:
        service["phones"] = [{"id": hsds_id("phone", sid), "number": record.contact}]
    if record.schedule:
        service["schedules"] = [{"id": hsds_id("schedule", sid), "description": record.schedule}]
    if record.languages:
        service["languages"] = [{"id": hsds_id("language", sid, code), "code": code}
                                for code in record.languages]
    if record.address or record.postcode or record.lat is not None or record.accessibility:
        service["service_at_locations"] = [{"id": hsds_id("service_at_location", sid),
                                            "location": _location(record, sid)}]
    if record.capacity and record.assured_date:
        service["capacities"] = [_capacity(record, sid)]
    service["attributes"] = [_attribute(sid, number, field, code, value) for number, (
        field, code, value) in enumerate(_attribute_terms(record))]
    return service


def _location(record: OfferRecord, sid: str) -> dict:
    location = _present(id=hsds_id("location", sid), location_type="physical",
                        latitude=record.lat, longitude=record.lon)
    if record.address or record.postcode:  # one line of address: city and region stay empty
        location["addresses"] = [{
            "id": hsds_id("address", sid), "address_1": record.address, "city": "",
            "state_province": "", "postal_code": record.postcode, "country": "DK",
            "address_type": "physical"}]
    if record.accessibility:
        location["accessibility"] = [{"id": hsds_id("accessibility", sid, code),
                                      "description": label("accessibility", code)}
                                     for code in record.accessibility]
    return location


def _capacity(record: OfferRecord, sid: str) -> dict:
    """The capacity as an HSDS 3.1 service_capacity, as of the day the listing was confirmed."""
    return {"id": hsds_id("service_capacity", sid),
            "unit": {"id": hsds_id("unit", PLACE_UNIT["identifier"]), **PLACE_UNIT},
            "available": AVAILABLE[record.capacity],
            "description": f"{label('capacity', record.capacity)} / "
                           f"{label('capacity', record.capacity, 'en')}",
            "updated": f"{record.assured_date.isoformat()}T00:00:00Z"}


def capacity_of(capacity: dict, units: dict[str, dict]) -> str | None:
    """Our capacity code for an HSDS 3.1 service_capacity (None when it gives no number)."""
    available = convert_cell("lat", capacity.get("available"))
    if not isinstance(available, (int, float)) or isinstance(available, bool):
        return None
    if available > 0:
        return "open"
    unit = units.get(capacity.get("unit_id"), {})
    words = f"{capacity.get('description') or ''} {unit.get('name') or ''}"
    return "waitlist" if WAITING.search(words) else "full"


def _attribute(sid: str, number: int, field: str, code: str, value: str | None) -> dict:
    name = TAXONOMIES[field]
    taxonomy = hsds_id("taxonomy", name)
    term = {"id": hsds_id("taxonomy_term", taxonomy, code), "code": code,
            "name": label(field, code), "description": label(field, code), "taxonomy": name,
            "language": "da", "taxonomy_detail": {
                "id": taxonomy, "name": name,
                "description": f"Brobyggers felt '{field}' / Brobygger's field '{field}'"}}
    return _present(id=hsds_id("attribute", sid, str(number)), link_entity="service",
                    value=value) | {"taxonomy_term": term}


def hsds_page(records: list[OfferRecord]) -> dict:
    """All offers as one page of the HSDS API's ``/services`` (as in examples/service_list.json)."""
    count = len(records)
    return {"total_items": count, "total_pages": 1, "page_number": 1, "size": count,
            "first_page": True, "last_page": True, "empty": not records,
            "contents": [hsds_service(record) for record in records]}


def hsds_tables(records: list[OfferRecord]) -> dict[str, list[dict]]:
    """The HSDS tables (rows keyed as in ``COLUMNS``) that describe ``records``."""
    tables: Tables = {name: [] for name in TABLES}
    for line, record in enumerate(records, start=1):
        flatten("service", hsds_service(record), line, tables, ProblemCollector(""))
    return {name: list({row["id"]: row for _, row in rows}.values())
            for name, rows in tables.items()}


def flatten(table: str, row: object, line: int, tables: Tables,
            problems: ProblemCollector) -> str | None:
    """Add ``row`` and everything nested in it to ``tables``; returns the row's id."""
    if not isinstance(row, dict):
        problems.error(line, None, f"Et element i {table!r} er ikke et JSON-objekt",
                       f"An item of {table!r} is not a JSON object")
        return None
    flat = {key: value for key, value in row.items() if not isinstance(value, (dict, list))}
    if table != "service" and not flat.get("id"):  # a nested row needs an id to be linked
        flat["id"] = f"{table}#{len(tables[table]) + 1}"
    for key, (child_table, link) in NESTED.get(table, {}).items():
        nested = row.get(key)
        if isinstance(nested, dict):
            flat[link] = flatten(child_table, nested, line, tables, problems)
        for child in nested if isinstance(nested, list) else []:
            if isinstance(child, dict):
                child = {**child, link: flat["id"]}
            flatten(child_table, child, line, tables, problems)
    tables[table].append((line, flat))
    return flat["id"]


def drop_impossible_coordinates(locations: list[tuple[int, dict]],
                                problems: ProblemCollector) -> None:
    """Other directories' data has latitudes of 100: warn and forget both coordinates."""
    for line, location in locations:
        for field, limit in (("latitude", 90), ("longitude", 180)):
            value = convert_cell("lat", location.get(field))
            if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > limit:
                problems.warn(line, field,
                              f"{field} {value:g} er umulig (skal ligge mellem -{limit} og {limit}); "
                              "stedets koordinater springes over",
                              f"{field} {value:g} is impossible (must be between -{limit} and "
                              f"{limit}); the location's coordinates are dropped")
                location.pop("latitude", None), location.pop("longitude", None)
                break


def service_rows(tables: Tables, problems: ProblemCollector) -> list[RawRow]:
    """One raw row per HSDS service, with our field names, ready for the validator."""
    by_id = {name: {row.get("id"): row for _, row in tables.get(name, [])}
             for name in ("organization", "location", "taxonomy_term", "taxonomy", "unit")}
    children = {name: _group(tables, name, key) for name, key in (
        ("service_at_location", "service_id"), ("address", "location_id"),
        ("accessibility", "location_id"), ("schedule", "service_id"),
        ("language", "service_id"), ("phone", "service_id"), ("attribute", "link_id"),
        ("service_capacity", "service_id"))}
    site_schedules = _group(tables, "schedule", "service_at_location_id")
    rows = []
    for line, service in tables.get("service", []):
        sid = service.get("id")
        sites = children["service_at_location"].get(sid, [])
        location = next((by_id["location"][s["location_id"]] for s in sites
                         if s.get("location_id") in by_id["location"]), {})
        schedules = children["schedule"].get(sid, []) + [
            schedule for site in sites for schedule in site_schedules.get(site.get("id"), [])]
        data = {
            "id": sid, "name": service.get("name"), "description": service.get("description"),
            "provider": by_id["organization"].get(service.get("organization_id"), {}).get("name"),
            "status": STATUS_FROM_HSDS.get(str(service.get("status")).strip().lower(),
                                           service.get("status")),
            "cost": service.get("fees_description"), "min_age": service.get("minimum_age"),
            "max_age": service.get("maximum_age"), "assured_date": service.get("assured_date"),
            "contact": _join([p.get("number") for p in children["phone"].get(sid, [])][:1]
                             + [service.get("email")], " / "),
            "schedule": _join([_schedule_text(s) for s in schedules], "; "),
            "languages": [lang.get("code") or lang.get("name")
                          for lang in children["language"].get(sid, [])
                          if lang.get("code") or lang.get("name")],
            **_place(location, children["address"].get(location.get("id"), [])),
            "accessibility": _accessibility(children["accessibility"].get(location.get("id"), []),
                                            line, problems),
        }
        for attribute in children["attribute"].get(sid, []):
            if attribute.get("link_entity") in (None, "", "service"):
                _apply_attribute(data, attribute, by_id)
        if "capacity" not in data:          # our attribute wins; a 3.1 capacity from elsewhere
            found = (capacity_of(c, by_id["unit"]) for c in children["service_capacity"].get(sid, []))
            if code := next((c for c in found if c), None):
                data["capacity"] = code
        rows.append(RawRow(line, {field: value if isinstance(value, list)
                                  else convert_cell(field, value)
                                  for field, value in data.items()}))
    return rows


def _group(tables: Tables, table: str, key: str) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for _, row in tables.get(table, []):
        if row.get(key):
            groups[row[key]].append(row)
    return groups


def _join(parts: list, separator: str) -> str:
    return separator.join(dict.fromkeys(str(p).strip() for p in parts if p and str(p).strip()))


def _place(location: dict, addresses: list[dict]) -> dict:
    address = next((a for a in addresses if a.get("address_type") in (None, "", "physical")),
                   addresses[0] if addresses else {})
    return {"address": _join([address.get(k) for k in ("address_1", "address_2", "city")], ", "),
            "postcode": address.get("postal_code"),
            "lat": location.get("latitude"), "lon": location.get("longitude")}


def _schedule_text(schedule: dict) -> str:
    """The schedule's description, or Danish text made from its weekdays and opening hours."""
    if schedule.get("description"):
        return schedule["description"]
    days = [WEEKDAYS.get(day.strip()[-2:].upper(), "") for day in
            str(schedule.get("byday") or "").split(",")]
    hours = "-".join(str(schedule.get(k) or "")[:5].replace(":", ".")
                     for k in ("opens_at", "closes_at") if schedule.get(k))
    return " ".join(filter(None, [", ".join(d + "e" for d in days if d),
                                  f"kl. {hours}" if hours else ""]))


def _accessibility(rows: list[dict], line: int, problems: ProblemCollector) -> list[str]:
    """Our accessibility codes; free-text HSDS descriptions we do not know are skipped."""
    codes = []
    for row in rows:
        text = str(row.get("description") or "").strip()
        code = normalise_code("accessibility", text) if text else None
        if code:
            codes.append(code)
        elif text:
            problems.warn(line, "accessibility",
                          f"Tilgængelighed {text!r} kendes ikke; springes over",
                          f"Accessibility {text!r} is not known; skipped")
    return codes


def _apply_attribute(data: dict, attribute: dict, by_id: dict[str, dict]) -> None:
    term = by_id["taxonomy_term"].get(attribute.get("taxonomy_term_id"), {})
    taxonomy = term.get("taxonomy") or by_id["taxonomy"].get(term.get("taxonomy_id"), {}).get(
        "name")
    field = FIELD_OF_TAXONOMY.get(taxonomy)
    if field in VALUE_FIELDS:
        data[field] = attribute.get("value")
        return
    value = term.get("name") if field is None else term.get("code") or term.get("name")
    if not value:
        return
    if field is None or field in LIST_FIELDS:
        data.setdefault(field or "categories", []).append(value)
    else:
        data.setdefault(field, value)
