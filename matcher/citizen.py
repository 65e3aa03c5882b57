"""What the matcher knows about the citizen: only what a rule needs, nothing stored."""

from __future__ import annotations

from dataclasses import dataclass, replace

from catalogue.schedule import Window, parse_schedule


@dataclass(frozen=True)
class Citizen:
    """The citizen's situation as far as eligibility and soft rules go; every field optional."""

    age: int | None = None
    municipality: str | None = None
    has_referral: bool = False
    languages: tuple[str, ...] = ()
    accessibility_needs: tuple[str, ...] = ()
    postcode: str | None = None
    lat: float | None = None
    lon: float | None = None
    busy: tuple[Window, ...] = ()
    barriers: tuple[str, ...] = ()     # codes the citizen ticked or told their guide

    @classmethod
    def from_dict(cls, data: dict | None) -> "Citizen":
        """Build from the interchange query format's ``citizen`` object (extra keys allowed)."""
        data = data or {}
        busy = data.get("busy") or ()
        if isinstance(busy, str):
            busy = parse_schedule(busy)
        return cls(
            age=data.get("age"),
            municipality=data.get("municipality"),
            has_referral=bool(data.get("has_referral", False)),
            languages=tuple(data.get("languages") or ()),
            accessibility_needs=tuple(data.get("accessibility_needs") or ()),
            postcode=data.get("postcode"),
            lat=data.get("lat"),
            lon=data.get("lon"),
            busy=tuple(busy),
            barriers=tuple(data.get("barriers") or ()),
        )

    def speaking(self, languages: tuple[str, ...]) -> "Citizen":
        """The same citizen, also speaking ``languages`` (read from their own words)."""
        if set(languages) <= set(self.languages):
            return self
        return replace(self, languages=tuple(dict.fromkeys((*self.languages, *languages))))
