"""The visitors of ``brobygger loadtest``, run by locust in its own process.

Citizens search (the page, as a browser does, and the API), guides keep a citizen's
conversation and plan while reading live suggestions, coordinators edit offers with ``If-Match``.
The plan (``BROBYGGER_LOAD_PLAN``, a JSON file written by ``evaluation.loadtest``) gives the
queries, the staff's bearer tokens and the offers to edit; when the run stops, every change the
server accepted is written to the plan's ``accepted`` file so that the caller can check that
none was lost. Only this machine's loopback server is ever asked.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from datetime import date, timedelta
from pathlib import Path

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["BROBYGGER_LOAD_PLAN"]).read_text(encoding="utf-8"))
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
READ_ONLY = ("source", "ref", "state", "quality", "version", "updated_at", "url")
_guides = itertools.cycle(PLAN["guide_tokens"])
_coordinators = itertools.cycle(PLAN["coordinator_tokens"])
_markers = itertools.count(1)
_citizen_searches = itertools.count()
ACCEPTED: dict[str, list] = {"edits": [], "steps": [], "conversations": []}


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


class Citizen(HttpUser):
    """Someone searching on their own: mostly the page, now and then through the API; reads
    the suggestions for a few seconds before the next search."""

    weight = 6
    wait_time = between(3, 10)

    def on_start(self) -> None:
        page = self.client.get("/soeg", name="search form")
        found = CSRF.search(page.text)
        self.csrf = found.group(1) if found else ""
        # the session cookie is HTTPS-only (TLS ends at the municipality's proxy); over the
        # loopback's plain HTTP it is sent back by hand, as a browser behind TLS would
        self.cookie = {"Cookie": "; ".join(f"{c.name}={c.value}" for c in self.client.cookies)}

    @task
    def search(self) -> None:
        """Every fourth search of the run, the first included, goes through the API: the mix is
        exact, and even a short run asks both ways."""
        query = random.choice(PLAN["queries"])
        if next(_citizen_searches) % 4 == 0:
            self.client.get("/api/v1/search", params={"q": query}, name="search api")
        else:
            self.client.post("/soeg", data={"csrf_token": self.csrf, "q": query},
                             headers=self.cookie, name="search")


class Guide(HttpUser):
    """A guide in an intake conversation: saves what the citizen says, reads the suggestions,
    now and then adds a prøvehandling to the plan."""

    weight = 3
    wait_time = between(4, 12)    # a saved stage of the conversation every few sentences

    def on_start(self) -> None:
        self.headers = _bearer(next(_guides))
        answer = self.client.post("/api/v1/citizens", headers=self.headers, name="new citizen",
                                  json={"name": f"Borger {next(_markers)}",
                                        "age": random.randint(20, 80), "municipality": "Aarhus",
                                        "consent": {"purpose": "Belastningstest",
                                                    "given_at": "2026-12-01T10:00:00+01:00"}})
        self.citizen = answer.json()["id"] if answer.status_code == 201 else None
        self.offer = None

    @task(3)
    def talk(self) -> None:
        if not self.citizen:
            return
        words = random.sample(PLAN["conversation_words"], 3)
        answer = self.client.put(f"/api/v1/citizens/{self.citizen}/conversation",
                                 headers=self.headers, name="conversation save",
                                 json={"dreams": " ".join(words), "goals": words[0]})
        if answer.status_code == 200:
            ACCEPTED["conversations"].append(self.citizen)
        suggestions = self.client.get(f"/api/v1/citizens/{self.citizen}/suggestions",
                                      headers=self.headers, name="live suggestions")
        results = suggestions.json().get("results") if suggestions.status_code == 200 else None
        self.offer = results[0]["id"] if results else self.offer

    @task(1)
    def plan_step(self) -> None:
        if not self.offer:      # nothing suggested yet: the conversation comes first
            self.talk()
            return
        when = date.today() + timedelta(days=random.randint(1, 14))
        answer = self.client.post(f"/api/v1/citizens/{self.citizen}/steps", headers=self.headers,
                                  name="plan step",
                                  json={"offer_id": self.offer, "what": "Prøve at komme én gang",
                                        "when": when.isoformat(),
                                        "follow_up": (when + timedelta(days=2)).isoformat()})
        if answer.status_code == 201:
            ACCEPTED["steps"].append({"citizen": self.citizen, "token": self.headers,
                                      "step": answer.json()["id"]})


class Coordinator(HttpUser):
    """A coordinator keeping offers true: reads one, changes its description, saves with the
    version read; when someone saved first (412) reads it again and saves once more."""

    weight = 1
    wait_time = between(10, 30)

    def on_start(self) -> None:
        self.headers = _bearer(next(_coordinators))

    @task
    def edit(self) -> None:
        offer = random.choice(PLAN["offers"])
        marker = f"[L{next(_markers)}]"
        for _ in range(3):   # read again after a 412, at most twice
            read = self.client.get(f"/api/v1/offers/{offer}", headers=self.headers, name="offer read")
            if read.status_code != 200:
                return
            record = {k: v for k, v in read.json().items() if k not in READ_ONLY}
            record["description"] = f"{record['description']} {marker}"
            with self.client.put(f"/api/v1/offers/{offer}", json=record, name="offer edit",
                                 headers={**self.headers, "If-Match": read.headers["ETag"]},
                                 catch_response=True) as saved:
                if saved.status_code == 412:      # someone saved first: nothing overwritten
                    saved.success()
                    continue
                if saved.status_code == 200:
                    ACCEPTED["edits"].append({"offer": offer, "marker": marker})
                return


@events.quitting.add_listener
def _write_accepted(environment, **_) -> None:
    Path(PLAN["accepted"]).write_text(json.dumps(ACCEPTED), encoding="utf-8")
