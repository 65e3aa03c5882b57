"""Open Referral HSDS 3.0: reading services as other directories publish them, and our mapping."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from ingest.hsds import write_hsds
from ingest.hsds_mapping import hsds_id
from ingest.importer import read_catalogue
from ingest.problems import ImportRejected
from tests.fixtures import small_catalogue
from tests.ingest.hsds_schema import HSDS, folder_errors, page_errors

EXAMPLES = HSDS / "examples"
DEMO = Path(__file__).parents[2] / "catalogue" / "data" / "demo_catalogue.jsonl"

SERVICE = {  # shaped like the HSDS 3.0 example service_full.json
    "id": "ac148810-d857-441c-9679-408f346de14b",
    "name": "Gågruppe for seniorer",
    "description": "Vi går en tur i Riis Skov.",
    "status": "temporarily closed",
    "fees_description": "gratis",
    "minimum_age": 60,
    "assured_date": "2025-09-01",
    "email": "gaa@example.org",
    "organization": {"id": "org-1", "name": "Ældre Sagen Aarhus", "description": "Forening"},
    "phones": [{"id": "phone-1", "number": "86 12 34 56"}],
    "languages": [{"id": "lang-1", "name": "Dansk", "code": "da"}],
    "schedules": [{"id": "sched-1", "freq": "WEEKLY", "byday": "TU,TH",
                   "opens_at": "10:00", "closes_at": "12:00"}],
    "service_at_locations": [{
        "id": "sal-1",
        "location": {
            "id": "loc-1", "location_type": "physical", "latitude": 56.17312,
            "longitude": 10.22455,
            "addresses": [{"id": "addr-1", "address_1": "Riis Skov", "city": "Aarhus C",
                           "postal_code": "8000", "country": "DK", "address_type": "physical"}],
            "accessibility": [{"id": "acc-1", "description": "Kørestolsvenligt"},
                              {"id": "acc-2", "description": "Elevator til 2. sal"}],
        },
    }],
    "attributes": [
        {"id": "attr-1", "taxonomy_term": {"id": "term-1", "code": "association",
                                           "name": "Forening", "taxonomy": "brobygger:kind"}},
        {"id": "attr-2", "taxonomy_term": {
            "id": "term-2", "name": "Motion", "taxonomy_detail": {"id": "tax-1",
                                                                 "name": "Open Eligibility"}}},
    ],
}


@pytest.mark.parametrize("form", ["one service", "list", "api page", "object", "tabular",
                                  "tabular file names"])
def test_nested_services_are_read(tmp_path: Path, form: str):
    data = {"one service": SERVICE, "list": [SERVICE],
            "api page": {"total_items": 1, "contents": [SERVICE]},
            "object": {"services": [SERVICE]}, "tabular": {"service": [SERVICE]},
            "tabular file names": {"services.csv": [SERVICE]}}[form]
    path = tmp_path / "services.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    (record,), warnings = read_catalogue(path)

    assert (record.id, record.name, record.kind, record.status) == (
        SERVICE["id"], "Gågruppe for seniorer", "association", "paused")
    assert (record.provider, record.cost, record.min_age, record.max_age) == (
        "Ældre Sagen Aarhus", "gratis", 60, None)
    assert (record.address, record.postcode, record.lat, record.lon) == (
        "Riis Skov, Aarhus C", "8000", 56.17312, 10.22455)
    assert record.schedule == "tirsdage, torsdage kl. 10.00-12.00"
    assert record.contact == "86 12 34 56 / gaa@example.org"
    assert record.languages == ("da",) and record.accessibility == ("koerestol",)
    assert record.categories == ("Motion",) and record.assured_date == date(2025, 9, 1)
    assert [(w.line, w.field) for w in warnings] == [(1, "accessibility")]
    assert "Elevator til 2. sal" in warnings[0].da


@pytest.mark.parametrize("status, hsds_status", [
    ("active", "active"), ("paused", "inactive"), ("ended", "defunct")])
def test_status_is_written_as_hsds_status(tmp_path: Path, status: str, hsds_status: str):
    offer = replace(small_catalogue()[0], status=status)

    write_hsds([offer], tmp_path / "catalogue.json")

    data = json.loads((tmp_path / "catalogue.json").read_text(encoding="utf-8"))
    assert data["contents"][0]["status"] == hsds_status
    assert read_catalogue(tmp_path / "catalogue.json")[0] == [offer]


def test_fields_without_an_hsds_home_are_taxonomy_attributes(tmp_path: Path):
    write_hsds(small_catalogue()[4:5], tmp_path / "catalogue.json")

    (service,) = json.loads((tmp_path / "catalogue.json").read_text(encoding="utf-8"))["contents"]
    attributes = {(a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["code"], a.get("value"))
                  for a in service["attributes"]}
    assert ("brobygger:id", "id", small_catalogue()[4].id) in attributes
    assert ("brobygger:kind", "municipal", None) in attributes
    assert ("brobygger:target_group", "autisme_adhd", None) in attributes
    assert ("brobygger:requires_referral", "requires_referral", "true") in attributes
    assert ("brobygger:legal_basis", "legal_basis", "SEL § 85") in attributes
    assert {a["taxonomy_term"]["taxonomy_detail"]["name"] for a in service["attributes"]} >= {
        "brobygger:kind", "brobygger:municipality"}


def test_service_without_kind_is_rejected_at_its_position(tmp_path: Path):
    path = tmp_path / "services.json"
    path.write_text(json.dumps([SERVICE, {**SERVICE, "id": "s2", "attributes": []}]),
                    encoding="utf-8")

    with pytest.raises(ImportRejected) as rejected:
        read_catalogue(path)

    assert [(p.line, p.field) for p in rejected.value.problems] == [(2, "kind")]


def test_a_default_kind_lets_plain_hsds_in(tmp_path: Path):
    """Other directories' HSDS files have no kind; the coordinator says which kind they are."""
    path = tmp_path / "services.json"
    path.write_text(json.dumps([SERVICE, {**SERVICE, "id": "s2", "attributes": []}]),
                    encoding="utf-8")

    records, _ = read_catalogue(path, default_kind="municipal")

    assert [r.kind for r in records] == ["association", "municipal"]   # a stated kind wins


def test_csv_folder_problems_name_the_line_and_the_table(tmp_path: Path):
    folder = tmp_path / "hsds"
    write_hsds(small_catalogue(), folder)
    services = (folder / "services.csv").read_text(encoding="utf-8").splitlines()
    service_id = hsds_id("service", "default", "aarhus-ungefaellesskab")
    index = next(i for i, line in enumerate(services) if line.startswith(service_id))
    services[index] = services[index].replace(",18,29,", ",atten,29,")
    (folder / "services.csv").write_text("\n".join(services) + "\n", encoding="utf-8")
    (folder / "phones.csv").write_bytes(b"id,service_id,number\np1,x,\xff\n")

    with pytest.raises(ImportRejected) as rejected:
        read_catalogue(folder / "datapackage.json")

    assert [(Path(p.file).name, p.line, p.field) for p in rejected.value.problems] == [
        ("phones.csv", 2, None)]
    (folder / "phones.csv").unlink()
    with pytest.raises(ImportRejected) as rejected:
        read_catalogue(folder)
    assert [(Path(p.file).name, p.line, p.field) for p in rejected.value.problems] == [
        ("services.csv", index + 1, "min_age")]


# Open Referral's own published examples (tests/ingest/data/hsds/README.md)
EXAMPLE_FILES = {"service_full.json": EXAMPLES / "service_full.json",
                 "service_list.json": EXAMPLES / "service_list.json",
                 "datapackage.json": EXAMPLES / "csv" / "datapackage.json",
                 "csv folder": EXAMPLES / "csv"}


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_the_published_examples_are_imported(name: str):
    (record,), warnings = read_catalogue(EXAMPLE_FILES[name], default_kind="association")

    assert (record.id, record.name, record.kind) == (
        "ac148810-d857-441c-9679-408f346de14b", "Community Counselling", "association")
    assert (record.provider, record.min_age, record.max_age) == (
        "Example Organization Inc.", 12, 100)
    assert (record.lat, record.lon) == (None, None)   # the examples' latitude is 100
    if name != "service_list.json":   # a list item carries no locations, phones or schedules
        assert record.address == "1-30 Main Street, MyVillage, MyCity"
        assert record.languages == ("ur",)


@pytest.mark.parametrize("name, file, line", [
    ("service_full.json", "service_full.json", 1), ("csv folder", "locations.csv", 2)])
def test_an_impossible_coordinate_is_dropped_with_a_warning(name: str, file: str, line: int):
    _, warnings = read_catalogue(EXAMPLE_FILES[name], default_kind="municipal")

    (warning,) = [w for w in warnings if w.field == "latitude"]
    assert (Path(warning.file).name, warning.line) == (file, line)
    assert "100" in warning.da and "umulig" in warning.da
    assert "100" in warning.en and "impossible" in warning.en


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_a_missing_kind_asks_for_a_default_kind(name: str):
    with pytest.raises(ImportRejected) as rejected:
        read_catalogue(EXAMPLE_FILES[name])

    (problem,) = rejected.value.problems
    assert problem.field == "kind"
    assert "--default-kind" in problem.da and "--default-kind" in problem.en


def test_one_page_of_many_is_read_with_a_warning():
    _, warnings = read_catalogue(EXAMPLE_FILES["service_list.json"], default_kind="municipal")

    assert [(w.field, "side 1 af 10" in w.da, "page 1 of 10" in w.en) for w in warnings] == [
        (None, True, True)]


@pytest.fixture(scope="module")
def demo_records():
    return read_catalogue(DEMO)[0]


def test_json_export_of_the_demo_catalogue_matches_the_compiled_schema(tmp_path: Path,
                                                                         demo_records):
    write_hsds(demo_records, tmp_path / "catalogue.json")

    page = json.loads((tmp_path / "catalogue.json").read_text(encoding="utf-8"))
    assert len(page["contents"]) == len(demo_records) == 265
    assert page_errors(page) == []
    assert read_catalogue(tmp_path / "catalogue.json")[0] == demo_records


def without_address_gaps(errors: list[str]) -> list[str]:
    """HSDS requires an address's city and state_province; we keep the address as one line and
    know no region, so in CSV those cells (and an unknown postcode or street) stay empty. JSON
    has them as empty text."""
    gaps = tuple(f"'{field}' is a required property"
                 for field in ("address_1", "city", "state_province", "postal_code"))
    return [error for error in errors if not (error.startswith("/address/")
                                              and error.endswith(gaps))]


def test_csv_export_of_the_demo_catalogue_matches_the_tabular_schema(tmp_path: Path,
                                                                       demo_records):
    write_hsds(demo_records, tmp_path / "hsds")

    errors = folder_errors(tmp_path / "hsds")
    assert len(errors) == 492   # 239 addresses without city and region, 14 without a postcode
    assert without_address_gaps(errors) == []
    assert read_catalogue(tmp_path / "hsds")[0] == demo_records


def test_every_export_of_the_small_catalogue_matches_the_schema(tmp_path: Path):
    """The small catalogue uses every field, None values and phone numbers as contact."""
    write_hsds(small_catalogue(), tmp_path / "catalogue.json")
    write_hsds(small_catalogue(), tmp_path / "hsds")

    assert page_errors(json.loads((tmp_path / "catalogue.json").read_text("utf-8"))) == []
    assert without_address_gaps(folder_errors(tmp_path / "hsds")) == []


def test_ids_are_stable_uuids_of_source_and_id_and_our_id_comes_back(tmp_path: Path):
    offer = replace(small_catalogue()[0], id="aarhus/gaa 1", source="aarhus")
    write_hsds([offer, replace(offer, source="odense")], tmp_path / "catalogue.json")

    services = json.loads((tmp_path / "catalogue.json").read_text("utf-8"))["contents"]
    assert [uuid.UUID(s["id"]).version for s in services] == [5, 5]
    assert services[0]["id"] == hsds_id("service", "aarhus", "aarhus/gaa 1") != services[1]["id"]
    with pytest.raises(ImportRejected):   # two offers with our one id: the source is not kept
        read_catalogue(tmp_path / "catalogue.json", source="aarhus")
    write_hsds([offer], tmp_path / "one.json")
    assert read_catalogue(tmp_path / "one.json", source="aarhus")[0] == [offer]


def test_a_source_with_a_slash_is_rejected(catalogue_file: Path):
    with pytest.raises(ImportRejected) as rejected:
        read_catalogue(catalogue_file, source="aarhus/syd")

    assert [(p.field, "'/'" in p.da, "'/'" in p.en) for p in rejected.value.problems] == [
        ("source", True, True)]


def test_capacity_is_written_as_an_hsds_3_1_service_capacity(tmp_path: Path):
    offers = [replace(small_catalogue()[0], capacity=capacity, id=capacity)
              for capacity in ("open", "waitlist", "full")]
    offers.append(replace(offers[0], id="unconfirmed", assured_date=None))
    write_hsds(offers, tmp_path / "catalogue.json")
    services = json.loads((tmp_path / "catalogue.json").read_text("utf-8"))["contents"]
    shown = [[(c["available"], c["description"], c["updated"], c["unit"]["name"])
              for c in s.get("capacities", [])] for s in services]
    assert shown == [[(1, "Har plads / Open", "2025-09-01T00:00:00Z", "plads / place")],
                     [(0, "Venteliste / Waiting list", "2025-09-01T00:00:00Z", "plads / place")],
                     [(0, "Fuldt / Full", "2025-09-01T00:00:00Z", "plads / place")],
                     []]      # a capacity nobody confirmed has no "as of": only the attribute
    assert page_errors(json.loads((tmp_path / "catalogue.json").read_text("utf-8"))) == []
    assert read_catalogue(tmp_path / "catalogue.json")[0] == offers


@pytest.mark.parametrize("available, words, capacity", [
    (12, "Beds available", "open"), (0, "Venteliste til næste hold", "waitlist"),
    (0, "Waiting list for spring", "waitlist"), (0, "Beds", "full")])
def test_a_3_1_capacity_from_elsewhere_is_read(tmp_path: Path, available, words, capacity):
    service = {**SERVICE, "capacities": [{
        "id": "cap-1", "unit": {"id": "unit-1", "name": "Bed"}, "available": available,
        "description": words, "updated": "2026-11-01T09:00:00Z"}]}
    path = tmp_path / "service.json"
    path.write_text(json.dumps(service, ensure_ascii=False), encoding="utf-8")
    [record] = read_catalogue(path)[0]
    assert record.capacity == capacity
