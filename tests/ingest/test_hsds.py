"""Open Referral HSDS 3.0: reading services as other directories publish them, and our mapping."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from ingest.hsds import write_hsds
from ingest.importer import read_catalogue
from ingest.problems import ImportRejected
from tests.fixtures import small_catalogue

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


@pytest.mark.parametrize("form", ["list", "api page", "object"])
def test_nested_services_are_read(tmp_path: Path, form: str):
    data = {"list": [SERVICE], "api page": {"total_items": 1, "contents": [SERVICE]},
            "object": {"services": [SERVICE]}}[form]
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
    assert data["services"][0]["status"] == hsds_status
    assert read_catalogue(tmp_path / "catalogue.json")[0] == [offer]


def test_fields_without_an_hsds_home_are_taxonomy_attributes(tmp_path: Path):
    write_hsds(small_catalogue()[4:5], tmp_path / "catalogue.json")

    data = json.loads((tmp_path / "catalogue.json").read_text(encoding="utf-8"))
    terms = {term["id"]: term for term in data["taxonomy_terms"]}
    attributes = {(terms[a["taxonomy_term_id"]]["taxonomy"], terms[a["taxonomy_term_id"]]["code"],
                   a["value"]) for a in data["attributes"]}
    assert ("brobygger:kind", "municipal", None) in attributes
    assert ("brobygger:target_group", "autisme_adhd", None) in attributes
    assert ("brobygger:requires_referral", "requires_referral", "true") in attributes
    assert ("brobygger:legal_basis", "legal_basis", "SEL § 85") in attributes
    assert {t["name"] for t in data["taxonomies"]} >= {"brobygger:kind", "brobygger:municipality"}


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
    index = next(i for i, line in enumerate(services) if line.startswith("aarhus-ungefaellesskab"))
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
    assert [(p.line, p.field) for p in rejected.value.problems] == [(index + 1, "min_age")]
