"""What the matcher is told about a citizen: the conversation's words (dreams first and twice,
so they weigh most) and the profile's age, municipality, languages and needs. Never a name, an
id, the guide's notes or the network map (they name other people)."""

from __future__ import annotations

from dataclasses import asdict

from matcher.citizen import Citizen
from matcher.service import MAX_TEXT_CHARS

from casework.citizens import conversation_dict, profile
from casework.desk import Desk, audit, own_citizen
from casework.errors import Invalid
from casework.rules import conversation_input


def matcher_query(conversation: dict, person: dict) -> tuple[str, Citizen]:
    """(search text, Citizen) from the conversation and profile dicts; pure."""
    dreams = conversation.get("dreams")
    parts = [dreams, conversation.get("goals"), conversation.get("what_matters"),
             conversation.get("barrier_words"), dreams]
    text = ". ".join(p.strip().rstrip(".") for p in parts if p and p.strip())
    citizen = Citizen.from_dict({"age": person.get("age"), "municipality": person.get("municipality"),
                                 "languages": person.get("languages"),
                                 "accessibility_needs": person.get("accessibility_needs"),
                                 "postcode": person.get("postcode"), "busy": person.get("busy") or ""})
    return text[:MAX_TEXT_CHARS], citizen


def suggestion_query(desk: Desk, citizen_id: str) -> tuple[str, Citizen]:
    """From the stored conversation."""
    with desk.sessions.begin() as session:
        citizen = own_citizen(session, desk, citizen_id)
        audit(session, desk, citizen.id, "suggest")
        text, who = matcher_query(conversation_dict(desk, citizen), profile(desk, citizen))
    return _searchable(text, who)


def draft_query(desk: Desk, citizen_id: str, draft: dict) -> tuple[str, Citizen]:
    """From a conversation being typed (checked like a saved one, never stored) and the stored
    profile."""
    given = conversation_input(draft)
    with desk.sessions.begin() as session:
        citizen = own_citizen(session, desk, citizen_id)
        audit(session, desk, citizen.id, "suggest_draft")
        text, who = matcher_query(asdict(given), profile(desk, citizen))
    return _searchable(text, who)


def _searchable(text: str, who: Citizen) -> tuple[str, Citizen]:
    if not text:
        raise Invalid("Samtalen har endnu ingen drømme, mål eller ord at søge ud fra",
                      "The conversation holds no dreams, goals or words to search from yet",
                      "dreams")
    return text, who
