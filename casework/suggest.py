"""What the matcher is told about a citizen: the conversation's words (dreams first and twice,
so they weigh most), the barrier codes the guide ticked (those the matcher has bridges for) and
the profile's age, municipality, languages and needs. Never a name, an
id, the guide's notes or the network map (they name other people): the map comes back beside
the query, for the network hints worked out after the matcher answers (``casework.hints``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from matcher.barriers import known_barriers
from matcher.citizen import Citizen
from matcher.service import MAX_TEXT_CHARS

from casework.citizens import conversation_dict, profile
from casework.desk import Desk, audit, own_citizen
from casework.errors import Invalid
from casework.hints import MapPerson, map_people
from casework.rules import conversation_input


@dataclass(frozen=True)
class SuggestionQuery:
    """What the matcher is asked (``text``, ``citizen``) and the map for the hints (``people``,
    never given to the matcher)."""

    text: str
    citizen: Citizen
    people: tuple[MapPerson, ...]


def matcher_query(conversation: dict, person: dict) -> tuple[str, Citizen]:
    """(search text, Citizen) from the conversation and profile dicts; pure."""
    dreams = conversation.get("dreams")
    parts = [dreams, conversation.get("goals"), conversation.get("what_matters"),
             conversation.get("barrier_words"), dreams]
    text = ". ".join(p.strip().rstrip(".") for p in parts if p and p.strip())
    citizen = Citizen.from_dict({"age": person.get("age"), "municipality": person.get("municipality"),
                                 "languages": person.get("languages"),
                                 "accessibility_needs": person.get("accessibility_needs"),
                                 "postcode": person.get("postcode"), "busy": person.get("busy") or "",
                                 "barriers": known_barriers(conversation.get("barriers") or ())})
    return text[:MAX_TEXT_CHARS], citizen


def suggestion_query(desk: Desk, citizen_id: str) -> SuggestionQuery:
    """From the stored conversation."""
    with desk.sessions.begin() as session:
        citizen = own_citizen(session, desk, citizen_id)
        audit(session, desk, citizen.id, "suggest")
        talk = conversation_dict(desk, citizen)
        text, who = matcher_query(talk, profile(desk, citizen))
    return _searchable(text, who, map_people(talk["network"]))


def draft_query(desk: Desk, citizen_id: str, draft: dict) -> SuggestionQuery:
    """From a conversation being typed (checked like a saved one, never stored) and the stored
    profile and network map (the typed map's rows have no ids yet)."""
    given = conversation_input(draft)
    with desk.sessions.begin() as session:
        citizen = own_citizen(session, desk, citizen_id)
        audit(session, desk, citizen.id, "suggest_draft")
        text, who = matcher_query(asdict(given), profile(desk, citizen))
        people = map_people(conversation_dict(desk, citizen)["network"])
    return _searchable(text, who, people)


def _searchable(text: str, who: Citizen, people: tuple[MapPerson, ...]) -> SuggestionQuery:
    if not text:
        raise Invalid("Samtalen har endnu ingen drømme, mål eller ord at søge ud fra",
                      "The conversation holds no dreams, goals or words to search from yet",
                      "dreams")
    return SuggestionQuery(text, who, people)
