"""The coordinators' pages: list, create and edit (with a conflict shown side by side), pause /
end / restore / verify, history and worklists, through the same editing layer as the API."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest

from catalogue import editing
from catalogue.history import Actor
from ingest.writer import upsert_records
from tests.webui.conftest import STAFF, log_in, offers
from tests.webui.page import Page

LIST = "/koordinator/tilbud"
NEW = "/koordinator/tilbud/ny"
WORKLISTS = "/koordinator/arbejdslister"
CAFE = "aarhus-gaeldscafe"
EDIT = f"/koordinator/tilbud/{CAFE}/ret"
OTHER = Actor("anden@test.dk")


class OfferFormReader(HTMLParser):
    """The values a browser would send from the page's offer form (class ``offer-form``)."""

    def __init__(self, html: str):
        super().__init__()
        self.data: list[tuple[str, str]] = []
        self._inside = False
        self._select: str | None = None
        self._textarea: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._inside = "offer-form" in (attrs.get("class") or "")
        if not self._inside:
            return
        if tag == "input" and (attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs):
            self.data.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and "selected" in attrs:
            self.data.append((self._select, attrs.get("value") or ""))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.data.append((self._textarea, ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            name, text = self.data.pop()
            self.data.append((name, text + data))

    def values(self, **changes) -> dict[str, object]:
        """As a dict for the test client (repeated names as lists), with ``changes`` applied."""
        out: dict[str, object] = {}
        for name, value in self.data:
            if name in out:
                out[name] = [*out[name], value] if isinstance(out[name], list) else [out[name], value]
            else:
                out[name] = value
        return {**out, **changes}


def form_values(response, **changes) -> dict[str, object]:
    return OfferFormReader(response.text).values(**changes)


def sessions(app):
    return app.extensions["brobygger"].sessions


def stored(app, ref: str = CAFE):
    return editing.get_offer(sessions(app), editing.resolve(sessions(app), ref))


@pytest.fixture
def coordinator(staff_app):
    client = staff_app.test_client()
    assert log_in(client, STAFF["coordinator"]).status_code == 302
    return client


@pytest.mark.parametrize("path", [LIST, NEW, EDIT, f"/koordinator/tilbud/{CAFE}/historik", WORKLISTS])
def test_anonymous_visitors_are_sent_to_log_in_and_guides_refused(staff_app, path):
    anonymous = staff_app.test_client()
    response = anonymous.get(path)
    assert response.status_code == 302 and response.headers["Location"] == f"/login?next={path}"
    guide = staff_app.test_client()
    log_in(guide, STAFF["guide"])
    assert guide.get(path).status_code == 403


def test_an_admin_may_use_the_pages_too(staff_app):
    admin = staff_app.test_client()
    log_in(admin, STAFF["admin"])
    assert admin.get(LIST).status_code == 200 and admin.get(EDIT).status_code == 200


def test_the_list_links_each_offer_to_its_edit_page_and_filters_by_state(coordinator):
    page = Page(coordinator.get(LIST).text)
    assert EDIT in page.links
    assert "Gældscafé i Aarhus" in page.text
    expired = Page(coordinator.get(f"{LIST}?status=expired").text)
    assert "/koordinator/tilbud/odense-gaeldsgruppe-2024/ret" in expired.links
    assert EDIT not in expired.links
    paused = Page(coordinator.get(f"{LIST}?state=paused&q=vold").text)
    assert "/koordinator/tilbud/esbjerg-kriseraadgivning/ret" in paused.links
    assert len([link for link in paused.links if link.endswith("/ret")]) == 1


def test_the_staff_page_links_coordinators_to_their_pages_but_not_guides(staff_app, coordinator):
    assert LIST in Page(coordinator.get("/personale").text).links
    guide = staff_app.test_client()
    log_in(guide, STAFF["guide"])
    assert LIST not in Page(guide.get("/personale").text).links


def test_a_coordinator_creates_an_offer_with_every_kind_of_field(staff_app, coordinator):
    form = form_values(coordinator.get(NEW), id="kbh-strik", source="kbh",
                       name="Strikkecafé på Nørrebro", kind="association",
                       description="Vi strikker og drikker kaffe hver onsdag.",
                       municipalities="København; Frederiksberg", min_age="18",
                       target_groups=["ensomhed", "aeldre"], requires_referral="nej",
                       lat="55,69", lon="12.55", valid_to="2030-06-30", languages="da; en",
                       low_threshold=["proevegang"], capacity="open")
    response = coordinator.post(NEW, data=form)
    assert response.status_code == 302
    assert response.headers["Location"] == "/koordinator/tilbud/kbh-strik/ret"
    record = stored(staff_app, "kbh-strik").record
    assert (record.source, record.name, record.min_age) == ("kbh", "Strikkecafé på Nørrebro", 18)
    assert record.municipalities == ("København", "Frederiksberg")
    assert record.target_groups == ("ensomhed", "aeldre") and record.requires_referral is False
    assert (record.lat, record.lon, record.valid_to) == (55.69, 12.55, date(2030, 6, 30))
    assert record.languages == ("da", "en") and record.low_threshold == ("proevegang",)
    assert "Tilbuddet er oprettet." in coordinator.get(response.headers["Location"]).text


def test_errors_are_shown_at_their_fields_with_a_summary_linking_to_them(staff_app, coordinator):
    form = form_values(coordinator.get(NEW), id="kbh-fejl", name="", kind="association",
                       description="Noget", min_age="atten", valid_to="30-06-2030")
    response = coordinator.post(NEW, data=form)
    assert response.status_code == 422
    page = Page(response.text)
    for field in ("name", "min_age", "valid_to"):
        control = page.find("input", id=field)[0]
        assert control["aria-invalid"] == "true"
        assert f"{field}-fejl" in control["aria-describedby"].split()
        assert page.find("p", id=f"{field}-fejl")
        assert f"#{field}" in page.links
    assert "Feltet skal udfyldes" in page.text and "ÅÅÅÅ-MM-DD" in page.text
    assert OfferFormReader(response.text).values()["description"] == "Noget"   # kept
    with pytest.raises(editing.OfferNotFound):
        editing.resolve(sessions(staff_app), "kbh-fejl")


def test_an_existing_id_is_refused_at_the_id_field(coordinator):
    form = form_values(coordinator.get(NEW), id=CAFE, source="test", name="Igen",
                       kind="association", description="Igen")
    page = Page(coordinator.post(NEW, data=form).text)
    assert page.find("input", id="id")[0]["aria-invalid"] == "true"
    assert "har allerede et tilbud" in page.text


def test_a_coordinator_edits_an_offer_and_the_history_says_who_changed_what(staff_app, coordinator):
    before = stored(staff_app)
    form = form_values(coordinator.get(EDIT), name="Gældscafé på Mejlgade")
    assert form["version"] == str(before.version) and form["name"] == "Gældscafé på Mejlgade"
    response = coordinator.post(EDIT, data=form)
    assert response.status_code == 302 and response.headers["Location"] == EDIT
    after = stored(staff_app)
    assert after.record == replace(before.record, name="Gældscafé på Mejlgade")   # only the name
    assert after.version == before.version + 1
    history = Page(coordinator.get(f"/koordinator/tilbud/{CAFE}/historik").text).text
    assert "koordinator@test.dk" in history
    assert "Rettet Navn Gældscafé i Aarhus Gældscafé på Mejlgade" in history


def conflict_rows(response) -> list[str]:
    return [" ".join(row.split()) for row in response.text.split('<tr class="difference merged">')[1:]]


@pytest.fixture
def conflict(staff_app, coordinator):
    """I open the café and change its name and price; meanwhile someone else changes its name
    and its time. My save answers with the merge."""
    opened = form_values(coordinator.get(EDIT), name="Min gældscafé", cost="20 kr.")
    started = stored(staff_app)
    theirs = editing.update_offer(sessions(staff_app), started.key, {
        **started.record.to_interchange(), "name": "Deres gældscafé",
        "schedule": "tirsdage kl. 10-12"}, started.version, OTHER)
    return started, theirs, coordinator.post(EDIT, data=opened)


def test_a_conflicting_save_merges_what_only_one_changed_and_overwrites_nothing(staff_app, conflict):
    started, theirs, response = conflict
    assert response.status_code == 409
    assert stored(staff_app).record == theirs.record                       # nothing overwritten
    text = Page(response.text).text
    assert f"version {theirs.version}" in text and f"version {started.version}" in text
    rows = conflict_rows(response)
    assert any("Pris" in row and "20 kr." in row and "din ændring" in row for row in rows)
    assert any("Hvornår" in row and "tirsdage kl. 10-12" in row and "den andens ændring" in row
               for row in rows)
    choice = Page(response.text).find("fieldset", id="keep-name")
    assert choice and "Min gældscafé" in response.text and "Deres gældscafé" in response.text
    assert "før: Gældscafé i Aarhus" in response.text
    form = OfferFormReader(response.text).values()
    assert (form["name"], form["cost"], form["schedule"]) == ("Min gældscafé", "20 kr.",
                                                              "tirsdage kl. 10-12")
    assert (form["version"], form["base_version"], form["conflicts"]) == (
        str(theirs.version), str(started.version), "name")
    assert EDIT in Page(response.text).links                               # take theirs


@pytest.mark.parametrize("keep, name", [("mine", "Min gældscafé"), ("theirs", "Deres gældscafé")])
def test_the_coordinator_chooses_per_field_both_changed(staff_app, coordinator, conflict, keep, name):
    form = OfferFormReader(conflict[2].text).values()
    assert coordinator.post(EDIT, data={**form, "keep-name": keep}).status_code == 302
    after = stored(staff_app).record
    assert (after.name, after.cost, after.schedule) == (name, "20 kr.", "tirsdage kl. 10-12")


def test_without_a_choice_nothing_is_saved_and_the_choice_is_asked_again(staff_app, coordinator,
                                                                        conflict):
    _, theirs, response = conflict
    again = coordinator.post(EDIT, data=OfferFormReader(response.text).values())
    assert again.status_code == 409 and stored(staff_app).record == theirs.record
    assert "Vælg din eller den gemte version for hvert felt herunder." in again.text
    assert Page(again.text).find("fieldset", id="keep-name")


def test_a_third_change_meanwhile_is_merged_from_the_version_the_merge_showed(staff_app,
                                                                             coordinator, conflict):
    _, theirs, response = conflict
    form = {**OfferFormReader(response.text).values(), "keep-name": "mine"}
    third = editing.update_offer(sessions(staff_app), theirs.key, {
        **theirs.record.to_interchange(), "contact": "12 34 56 78"}, theirs.version, OTHER)
    merged = coordinator.post(EDIT, data=form)
    assert merged.status_code == 409 and stored(staff_app).record == third.record
    assert not Page(merged.text).find("fieldset", id="keep-name")          # decided already
    assert coordinator.post(EDIT, data=OfferFormReader(merged.text).values()).status_code == 302
    after = stored(staff_app).record
    assert (after.name, after.cost, after.contact) == ("Min gældscafé", "20 kr.", "12 34 56 78")


def test_forged_conflict_fields_never_give_a_5xx(staff_app, coordinator, conflict):
    form = OfferFormReader(conflict[2].text).values()
    for forged in ({"conflicts": "status id nonsense", "base_version": "²"},
                   {"base_version": "9" * 5000, "keep-name": "theirs"}, {"version": "²"}):
        assert coordinator.post(EDIT, data={**form, **forged}).status_code < 500


def test_a_form_without_its_version_overwrites_nothing(staff_app, coordinator):
    form = form_values(coordinator.get(EDIT), name="Uden version", version="")
    assert coordinator.post(EDIT, data=form).status_code == 409
    assert stored(staff_app).record.name == "Gældscafé i Aarhus"


def test_pause_end_restore_and_verify_from_the_edit_page(staff_app, coordinator):
    def press(action: str):
        page = Page(coordinator.get(EDIT).text)
        url = f"/koordinator/tilbud/{CAFE}/{action}"
        form = [f for f in page.find("form") if f.get("action") == url]
        assert form, f"no {action} button"
        token = page.find("input", name="csrf_token")[0]["value"]
        response = coordinator.post(url, data={"csrf_token": token})
        assert response.status_code == 302 and response.headers["Location"] == EDIT
        return coordinator.get(EDIT).text

    assert "sat på pause" in press("pause")
    assert stored(staff_app).record.status == "paused"
    press("afslut")
    assert stored(staff_app).record.status == "ended"
    assert "Tilbuddet kører igen." in press("genaabn")
    assert stored(staff_app).record.status == "active"
    assert "bekræftet i dag" in press("bekraeft")
    assert stored(staff_app).record.assured_date == date.today()
    history = Page(coordinator.get(f"/koordinator/tilbud/{CAFE}/historik").text).text
    for action in ("Sat på pause", "Afsluttet", "Genåbnet", "Bekræftet"):
        assert action in history


def test_posts_without_a_csrf_token_are_refused(staff_app, coordinator):
    form = form_values(coordinator.get(EDIT), name="Uden token")
    del form["csrf_token"]
    assert coordinator.post(EDIT, data=form).status_code == 400
    assert coordinator.post(f"/koordinator/tilbud/{CAFE}/afslut").status_code == 400
    new = form_values(coordinator.get(NEW), id="x1", name="X", kind="association",
                      description="X", csrf_token="forkert")
    assert coordinator.post(NEW, data=new).status_code == 400
    record = stored(staff_app).record
    assert record.name == "Gældscafé i Aarhus" and record.status == "active"


def test_worklists_list_stale_and_expiring_offers_and_verify_from_there(staff_app, coordinator):
    today = date.today()
    cafe = stored(staff_app)
    editing.update_offer(sessions(staff_app), cafe.key,
                         {**cafe.record.to_interchange(), "assured_date": today.isoformat(),
                          "valid_to": (today + timedelta(days=10)).isoformat()},
                         cafe.version, OTHER)
    text = coordinator.get(WORKLISTS).text
    stale, rest = text.split('id="udloeber"')
    expiring = rest.split('id="skal-rettes"')[0]
    knit = "/koordinator/tilbud/aalborg-strikkeklub/ret"      # never confirmed
    assert knit in stale and knit not in expiring
    assert EDIT in expiring and EDIT not in stale
    assert "/koordinator/tilbud/esbjerg-kriseraadgivning/ret" not in text      # paused
    token = Page(text).find("input", name="csrf_token")[0]["value"]
    response = coordinator.post("/koordinator/tilbud/aalborg-strikkeklub/bekraeft",
                                data={"csrf_token": token, "next": WORKLISTS})
    assert response.headers["Location"] == WORKLISTS
    assert knit not in coordinator.get(WORKLISTS).text.split('id="udloeber"')[0]
    assert stored(staff_app, "aalborg-strikkeklub").record.assured_date == today


def test_an_edit_is_found_in_the_citizens_search_after_the_index_refresh(staff_app, coordinator):
    def suggested(text: str) -> str:
        return coordinator.post("/soeg", data={
            "csrf_token": Page(coordinator.get("/soeg").text).find(
                "input", name="csrf_token")[0]["value"], "q": text}).text

    assert "Skakklubben" not in suggested("skak og brætspil")
    knit = "/koordinator/tilbud/aalborg-strikkeklub/ret"
    form = form_values(coordinator.get(knit), name="Skakklubben i Frivilligcenteret",
                       description="Vi spiller skak og brætspil og drikker kaffe.")
    assert coordinator.post(knit, data=form).status_code == 302
    suggested("skak og brætspil")                    # notices the change, rebuilds meanwhile
    staff_app.extensions["brobygger"].matcher.wait()
    assert "Skakklubben i Frivilligcenteret" in suggested("skak og brætspil")


def test_every_coordinator_page_labels_its_controls_and_points_only_at_real_ids(coordinator):
    invalid = form_values(coordinator.get(NEW), id="", name="", kind="", description="")
    pages = [coordinator.get(path) for path in (LIST, NEW, EDIT, WORKLISTS,
                                                f"/koordinator/tilbud/{CAFE}/historik")]
    pages.append(coordinator.post(NEW, data=invalid))
    for response in pages:
        page = Page(response.text)
        assert page.find("html", lang="da") and len(page.find("h1")) == 1
        for control in page.controls:
            assert control.get("id") in page.label_for, control
        ids = {attrs["id"] for _, attrs in page.tags if "id" in attrs}
        for _, attrs in page.tags:
            for target in (attrs.get("aria-describedby") or "").split():
                assert target in ids
        for link in page.links:
            if link.startswith("#"):
                assert link[1:] in ids, link


def test_the_edit_page_in_english(coordinator):
    page = Page(coordinator.get(f"{EDIT}?lang=en").text).text
    assert "Edit offer" in page and "Save changes" in page and "Confirmed today" in page
    assert "Ret tilbud" not in page


# --- importing a file ----------------------------------------------------------------------

IMPORT = "/koordinator/import"


def upload(client, lines: list[dict], **options):
    import io
    import json

    body = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode()
    token = Page(client.get(IMPORT).text).find("input", name="csrf_token")[0]["value"]
    return client.post(IMPORT, data={"csrf_token": token, "format": "auto", **options,
                                     "file": (io.BytesIO(body), "katalog.jsonl")},
                       content_type="multipart/form-data")


def confirm_values(response, **changes) -> dict:
    page = Page(response.text)
    values = {a["name"]: a.get("value", "") for a in page.find("input")
              if a.get("type") == "hidden"}
    return {**values, **changes}


STRIK = {"id": "s1", "name": "Strikkeklub", "description": "Vi strikker.", "kind": "association"}


def test_an_upload_shows_a_dry_run_and_writes_only_when_confirmed(staff_app, coordinator):
    preview = upload(coordinator, [STRIK, {**STRIK, "id": "s2", "name": "Skak"}], source="kbh")
    assert preview.status_code == 200
    counts = Page(preview.text).text
    assert "Nye 2" in counts and "Ændrede 0" in counts and "Fejl 0" in counts
    with pytest.raises(editing.OfferNotFound):
        editing.resolve(sessions(staff_app), "s1")
    done = coordinator.post(f"{IMPORT}/bekraeft", data=confirm_values(preview))
    assert done.status_code == 302
    assert stored(staff_app, "s1").record.source == "kbh"
    assert "2 nye" in coordinator.get(done.headers["Location"]).text


def test_an_upload_with_errors_names_line_and_field_and_offers_no_confirmation(coordinator):
    preview = upload(coordinator, [STRIK, {**STRIK, "id": "s2", "min_age": "tolv"}], source="kbh")
    assert preview.status_code == 422
    rows = [" ".join(r.split()) for r in preview.text.split('<tr class="problem">')[1:]]
    assert any(row.startswith("<td>2</td><td>min_age</td>") for row in rows)
    assert not [f for f in Page(preview.text).find("form")
                if f.get("action") == f"{IMPORT}/bekraeft"]


def test_a_full_import_ending_many_offers_needs_an_explicit_confirmation(staff_app, coordinator):
    before = len(editing.list_offers(sessions(staff_app)))
    preview = upload(coordinator, [STRIK], source="test", full="1")
    assert "Ja, afslut de" in preview.text
    refused = coordinator.post(f"{IMPORT}/bekraeft", data=confirm_values(preview))
    assert refused.status_code == 409
    assert stored(staff_app).record.status == "active"
    done = coordinator.post(f"{IMPORT}/bekraeft", data=confirm_values(preview, confirm_end="1"))
    assert done.status_code == 302
    assert stored(staff_app).record.status == "ended"
    assert len(editing.list_offers(sessions(staff_app))) == before + 1


def test_alike_offers_across_sources_are_listed_once_and_the_decision_is_remembered(
        staff_app, coordinator):
    copies = [replace(r, id=f"kopi-{r.id}") for r in offers() if r.id in (CAFE, "aalborg-strikkeklub")]
    upsert_records(sessions(staff_app), copies, "frivillig")
    text = coordinator.get(WORKLISTS).text
    duplicates = text.split('id="dubletter"')[1]
    assert "kopi-aarhus-gaeldscafe" in duplicates and "kopi-aalborg-strikkeklub" in duplicates
    token = Page(text).find("input", name="csrf_token")[0]["value"]

    def decide(first: str, second: str, decision: str):
        return coordinator.post("/koordinator/dubletter", data={
            "csrf_token": token, "first": first, "second": second, "decision": decision})

    assert decide(CAFE, f"kopi-{CAFE}", "distinct").status_code == 302
    assert decide("aalborg-strikkeklub", "kopi-aalborg-strikkeklub", "merged").status_code == 302
    after = coordinator.get(WORKLISTS).text.split('id="dubletter"')[1]
    assert "kopi-" not in after                                   # both pairs decided, not listed
    assert stored(staff_app, f"kopi-{CAFE}").record.status != "ended"           # two offers after all
    assert stored(staff_app, "kopi-aalborg-strikkeklub").record.status == "ended"  # merged: ended
    assert stored(staff_app, "aalborg-strikkeklub").record.status == "active"
    assert decide(CAFE, CAFE, "distinct").status_code == 400
    assert decide(CAFE, f"kopi-{CAFE}", "maybe").status_code == 400


def test_a_preview_nobody_confirmed_is_removed_after_a_day(staff_app, coordinator):
    folder = staff_app.extensions["brobygger"].settings.instance_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    forgotten = folder / "forgotten-preview-token-abcdef.jsonl"
    forgotten.write_text("{}", encoding="utf-8")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(forgotten, (two_days_ago, two_days_ago))

    preview = upload(coordinator, [STRIK], source="kbh")

    assert preview.status_code == 200
    assert not forgotten.exists()
    assert len(list(folder.iterdir())) == 1                # today's preview waits for its answer


def test_the_duplicates_are_computed_once_per_catalogue_and_an_edit_recomputes_them(
        staff_app, coordinator):
    upsert_records(sessions(staff_app), [replace(r, id=f"kopi-{r.id}") for r in offers()
                                         if r.id == CAFE], "frivillig")
    cache = staff_app.extensions["brobygger"].duplicates
    first = coordinator.get(WORKLISTS).text.split('id="dubletter"')[1]
    second = coordinator.get(WORKLISTS).text.split('id="dubletter"')[1]
    assert f"kopi-{CAFE}" in first and second == first and cache.builds == 1   # not recomputed
    token = Page(coordinator.get(WORKLISTS).text).find("input", name="csrf_token")[0]["value"]
    coordinator.post("/koordinator/dubletter", data={
        "csrf_token": token, "first": CAFE, "second": f"kopi-{CAFE}", "decision": "distinct"})
    assert f"kopi-{CAFE}" not in coordinator.get(WORKLISTS).text.split('id="dubletter"')[1]
    assert cache.builds == 1                                 # a decision is applied to the cache
    copy = stored(staff_app, f"kopi-{CAFE}")
    editing.update_offer(sessions(staff_app), copy.key, {**copy.record.to_interchange(),
                         "name": "Gældscafé i Aarhus, frivillig"}, copy.version, OTHER)
    coordinator.get(WORKLISTS)
    assert cache.builds == 2                                 # an edit: computed again
