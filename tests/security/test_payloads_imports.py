"""Every import format (JSON Lines, CSV, Excel, HSDS JSON through ``POST /api/v1/imports``; an
HSDS CSV folder through the importer the CLI uses) gets every payload, once in every text field
of an offer and once as its id; then hostile files: oversized, zip bombs (honest and lying
about their size), entity bombs and external entities, broken spreadsheets and CSVs. Each is
imported inert or refused with a clear import error; a refused import writes nothing."""

from __future__ import annotations

import csv
import io
import json
import resource
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from catalogue.records import OfferRecord
from ingest.formats import WRITERS
from ingest.importer import import_catalogue
from ingest.problems import ImportRejected
from ingest.textfile import DEFAULT_MAX_BYTES
from tests.security.conftest import EVERYTHING
from tests.security.payloads import Payload, assert_inert, load
from tests.security.test_payloads_forms import ROLES, html_pages, pages
from tests.security.world import attack_app, build_world

PAYLOADS = load()
MARK = "QQPAYLOADQQ"
UPLOADED = {"jsonl": ".jsonl", "csv": ".csv", "xlsx": ".xlsx", "hsds": ".json"}
FORMATS = (*UPLOADED, "hsds-csv")
MAX_GROWTH_MB = 300     # the most the process may grow while reading one hostile file


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    app = attack_app(tmp_path_factory.mktemp("imports"))
    yield build_world(app)
    app.extensions["brobygger"].engine.dispose()


def offer(as_id: bool) -> OfferRecord:
    """An offer with the mark in every text field, or as its id."""
    if as_id:
        return OfferRecord(id=MARK, name="Angrebstilbud", kind="association",
                           description="Et tilbud til test af import.")
    return OfferRecord(id="angreb-import", name=MARK, kind="association", description=MARK,
                       provider=MARK, categories=(MARK,), address=MARK, schedule=MARK,
                       contact=MARK, cost=MARK, legal_basis=MARK)


def _text_value(payload: Payload, fmt: str) -> bytes:
    if isinstance(payload.value, bytes):
        return payload.value
    if fmt in ("jsonl", "hsds"):
        return json.dumps(payload.value, ensure_ascii=False)[1:-1].encode()
    return escape(payload.value, {'"': "&quot;"}).encode()          # xlsx XML


def _csv_with(data: bytes, payload: Payload) -> bytes:
    """A CSV file's cells holding the mark now holding the payload, quoted as CSV quotes."""
    if isinstance(payload.value, bytes):
        return data.replace(MARK.encode(), payload.value)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    out = io.StringIO(newline="")
    csv.writer(out).writerows([[c.replace(MARK, payload.value) for c in row] for row in rows])
    return out.getvalue().encode()


def attack_file(folder: Path, fmt: str, payload: Payload, as_id: bool) -> Path:
    """A catalogue file of ``fmt`` (an HSDS CSV folder for ``hsds-csv``) with the payload."""
    path = folder / ("hsds" if fmt == "hsds-csv" else f"angreb{UPLOADED[fmt]}")
    WRITERS["hsds" if fmt == "hsds-csv" else fmt]([offer(as_id)], path)
    if fmt == "xlsx":
        with zipfile.ZipFile(path) as source:
            members = [(info, source.read(info)) for info in source.infolist()]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
            for info, data in members:
                target.writestr(info.filename, data.replace(MARK.encode(), _text_value(payload, fmt)))
    elif fmt in ("csv", "hsds-csv"):
        for file in [path] if fmt == "csv" else sorted(path.glob("*.csv")):
            file.write_bytes(_csv_with(file.read_bytes(), payload))
    else:
        path.write_bytes(path.read_bytes().replace(MARK.encode(), _text_value(payload, fmt)))
    return path


def upload(world, path: Path, fmt: str = "auto", source: str = "angreb"):
    with path.open("rb") as file:
        return world.app.test_client().post(
            f"/api/v1/imports?dry_run=false&source={source}&format={fmt}",
            headers=world.headers["coordinator"],
            data={"file": (file, path.name)}, content_type="multipart/form-data")


def assert_clear_refusal(response, where: str) -> None:
    """A 413 (too large to receive) or the contract's 422 naming each problem in da and en."""
    assert response.status_code in (413, 422), f"{where}: {response.status_code}"
    answer = response.get_json()
    assert answer["error"]["da"] and answer["error"]["en"], where
    for problem in answer.get("errors", []):
        assert problem["da"] and problem["en"], where


def import_folder(world, path: Path) -> bool:
    """The HSDS CSV folder through the importer; True when imported, False when refused."""
    try:
        import_catalogue(world.app.extensions["brobygger"].sessions, path, "hsds", "angreb",
                         default_kind="association")
    except ImportRejected as refused:
        assert all(p.da and p.en for p in refused.problems)
        return False
    return True


def test_every_payload_in_every_format_is_imported_inert_or_refused_clearly(
        world, tmp_path, payload_report):
    cases = [(fmt, p, as_id) for fmt in FORMATS for p in PAYLOADS for as_id in (False, True)
             if EVERYTHING or as_id is False or p.category != "oversized"]
    for number, (fmt, payload, as_id) in enumerate(cases):
        folder = tmp_path / str(number)
        folder.mkdir()
        path = attack_file(folder, fmt, payload, as_id)
        where = f"{fmt} {'id' if as_id else 'text'} {payload.value!r:.50}"
        before = world.row_counts()
        if fmt == "hsds-csv":
            imported = import_folder(world, path)
        else:
            response = upload(world, path, fmt)
            assert_inert(response, [payload], where)
            imported = response.status_code == 200
            if not imported:
                assert_clear_refusal(response, where)
        if not imported:
            assert world.row_counts() == before, where
        payload_report[f"import_{fmt}"] += 1


def test_afterwards_every_page_shows_the_imported_offers_inert(world):
    for role in ROLES:
        client = world.session_client(role)
        for path, response in html_pages(client, pages(world, role)):
            assert_inert(response, PAYLOADS, f"{role} GET {path}")


def _xlsx(path: Path, sheet: bytes | None = None, declared: int | None = None) -> Path:
    """A real workbook; ``sheet`` replaces its first sheet's XML; ``declared`` makes the zip's
    directory lie about the sheet's unpacked size (local header and central directory)."""
    WRITERS["xlsx"]([offer(False)], path)
    with zipfile.ZipFile(path) as source:
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members:
            if name == "xl/worksheets/sheet1.xml" and sheet is not None:
                with target.open(name, "w") as out:
                    for start in range(0, len(sheet), 1 << 20):
                        out.write(sheet[start:start + (1 << 20)])
            else:
                target.writestr(name, data)
    if declared is not None:
        _lie_about_size(path, "xl/worksheets/sheet1.xml", declared)
    return path


def _lie_about_size(path: Path, member: str, size: int) -> None:
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
        local = info.header_offset
    data[local + 22:local + 26] = size.to_bytes(4, "little")
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = int.from_bytes(data[central + 28:central + 30], "little")
        if data[central + 46:central + 46 + name_length] == member.encode():
            data[central + 24:central + 28] = size.to_bytes(4, "little")
            break
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))


def _bomb_sheet(megabytes: int) -> bytes:
    row = b'<row r="2"><c r="A2" t="inlineStr"><is><t>bombe</t></is></c></row>'
    body = row * (megabytes * (1 << 20) // len(row))
    return (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxml'
            b'formats.org/spreadsheetml/2006/main"><sheetData>' + body + b"</sheetData></worksheet>")


def _entity_sheet(entities: bytes, use: bytes) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [' + entities + b']>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>' + use + b"</t></is></c>"
            b"</row></sheetData></worksheet>")


LAUGHS = b"".join(b'<!ENTITY l%d "&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;">'
                  % (n, *[n - 1] * 10) for n in range(1, 10))


def hostile_files(folder: Path) -> dict[str, Path]:
    """Files that attack the readers rather than the fields: name -> path."""
    def write(name: str, data: bytes) -> Path:
        (folder / name).write_bytes(data)
        return folder / name

    header = "id,name,kind,description\n"
    files = {
        "oversized.jsonl": write("oversized.jsonl", b'{"id": "x"}\n' * (
            DEFAULT_MAX_BYTES // 12 + 1024)),
        "over_the_request_limit.jsonl": write("over_the_request_limit.jsonl", b" " * (
            DEFAULT_MAX_BYTES + 2 * 1024 * 1024)),
        "zip_bomb.xlsx": _xlsx(folder / "zip_bomb.xlsx", _bomb_sheet(200)),
        "zip_bomb_lying.xlsx": _xlsx(folder / "zip_bomb_lying.xlsx", _bomb_sheet(200), 2000),
        "billion_laughs.xlsx": _xlsx(folder / "billion_laughs.xlsx",
                                     _entity_sheet(b'<!ENTITY l0 "ha">' + LAUGHS, b"&l9;")),
        "external_entity.xlsx": _xlsx(folder / "external_entity.xlsx", _entity_sheet(
            b'<!ENTITY xxe SYSTEM "file:///etc/passwd">', b"&xxe;")),
        "truncated.xlsx": write("truncated.xlsx", _xlsx(folder / "whole.xlsx").read_bytes()[:900]),
        "zip_without_workbook.xlsx": write("zip_without_workbook.xlsx", _zip({"a.txt": b"hej"})),
        "random_bytes.xlsx": write("random_bytes.xlsx", bytes(range(256)) * 40),
        "sheet_not_xml.xlsx": _xlsx(folder / "sheet_not_xml.xlsx", b"\x00\xff ikke xml <<<"),
        "unclosed_quote.csv": write("unclosed_quote.csv", (header + 'a,"Navn,association,x\n'
                                                           ).encode()),
        "huge_cell.csv": write("huge_cell.csv", (header + "a,Navn,association," + "x" * 300_000
                                                 + "\n").encode()),
        "ten_thousand_columns.csv": write("ten_thousand_columns.csv", (
            ",".join(f"k{n}" for n in range(10_000)) + "\n" + ",".join("v" * 10_000) + "\n"
        ).encode()),
        "nul_bytes.csv": write("nul_bytes.csv", (header + "a,Na\x00vn,association,x\n").encode()),
        "utf16.csv": write("utf16.csv", (header + "a,Navn,association,x\n").encode("utf-16")),
        "only_header.csv": write("only_header.csv", header.encode()),
        "formula_id.csv": write("formula_id.csv", (header + "=cmd|'/c calc'!A1,Navn,association,"
                                                   "x\n").encode()),
        "bare_cr_in_quotes.csv": write("bare_cr_in_quotes.csv", (header + 'a,"Na\rvn",association,x'
                                                                 '\n').encode()),
    }
    return files


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_hostile_files_are_refused_clearly_by_the_api_and_the_page_with_nothing_written(
        world, tmp_path, payload_report):
    from tests.webui.conftest import csrf_token

    page = world.session_client("coordinator")
    for name, path in hostile_files(tmp_path).items():
        before, peak = world.row_counts(), _peak_mb()
        response = upload(world, path)
        assert_inert(response, [], name)
        if response.status_code != 200:        # a sheet whose entity was not expanded is an offer
            assert_clear_refusal(response, name)
            assert world.row_counts() == before, name
        assert "root:x:0:0" not in response.text and "hahahahahahahahaha" not in response.text
        before = world.row_counts()             # the page shows a preview: it writes nothing
        with path.open("rb") as file:
            shown = page.post("/koordinator/import", content_type="multipart/form-data", data={
                "csrf_token": csrf_token(page, "/koordinator/import"), "file": (file, path.name),
                "source": "angreb", "format": "auto"})
        assert shown.status_code in (200, 413, 422), f"{name}: {shown.status_code}"
        if name == "over_the_request_limit.jsonl":     # refused before it is read (Flask)
            assert response.status_code == shown.status_code == 413
            assert "Det, du sendte, er for stort" in shown.text
        assert "root:x:0:0" not in shown.text and world.row_counts() == before, name
        assert _peak_mb() - peak < MAX_GROWTH_MB, f"{name} took {_peak_mb() - peak:.0f} MB"
        payload_report["import_hostile_files"] += 2


@pytest.mark.parametrize("offer_id", ["del/af/tilbud", "../../etc/passwd", "a%2Fb", "a?b#c"])
def test_an_id_holding_a_slash_or_url_characters_gives_links_that_open_the_offer(world, tmp_path,
                                                                               offer_id):
    """Known from the issue: an id with "/" once made links that answered 404."""
    record = OfferRecord(id=offer_id, name=f"Tilbud {offer_id}", kind="association",
                         description="Et tilbud med et sært id.")
    path = tmp_path / "sært.jsonl"
    WRITERS["jsonl"]([record], path)
    assert upload(world, path, "jsonl", "saert").status_code == 200
    client = world.app.test_client()
    listed = client.get("/api/v1/offers?q=" + "sært id").get_json()["offers"]
    mine = next(o for o in listed if o["id"] == offer_id)
    assert client.get(mine["url"]).get_json()["id"] == offer_id
    from tests.webui.page import Page

    links = [a for a in Page(client.get("/tilbud?q=sært id").text).links if "/tilbud/saert/" in a]
    opened = [client.get(link) for link in links]
    assert any(r.status_code == 200 and f"Tilbud {offer_id}" in r.text for r in opened), links
