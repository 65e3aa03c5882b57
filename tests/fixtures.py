"""A small known catalogue of fictional Danish offers, built in code, that uses every field;
``migrated``, the ``init-db`` step every app in the tests needs first; and ``killed_child``,
the real SIGKILL of the crash-safety tests."""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

from catalogue.db import engine_for, init_db
from catalogue.records import OfferRecord
from catalogue.settings import Settings


def migrated(settings: Settings) -> Settings:
    """``settings`` after doing what ``brobygger init-db`` does to its database."""
    engine = engine_for(settings)
    init_db(engine)
    engine.dispose()
    return settings


def small_catalogue() -> list[OfferRecord]:
    """Ten offers: all three kinds, varied eligibility, None values, æøå, coordinates, dates."""
    return [
        OfferRecord(
            id="aarhus-gaagruppe", name="Gågruppe for seniorer", kind="association",
            description="Vi går en tur på 3-5 km i Riis Skov hver uge og slutter med kaffe. "
                        "Alle kan være med, også hvis du går langsomt.",
            provider="Ældre Sagen Aarhus", categories=("motion", "fællesskab", "natur"),
            target_groups=("aeldre", "ensomhed"), min_age=60, municipalities=("alle",),
            requires_referral=False, cost="gratis", address="Riis Skov, P-pladsen ved "
            "Ørnereden", postcode="8000", lat=56.17312, lon=10.22455,
            schedule="tirsdage kl. 10-12", languages=("da",), accessibility=("koerestol",),
            contact="aarhus@aeldresagen.example", roles=("deltager", "frivillig"),
            low_threshold=("proevegang", "ingen_tilmelding", "ledsager"), capacity="open",
            assured_date=date(2025, 9, 1)),
        OfferRecord(
            id="odense-gaeldsraadgivning", name="Gældsrådgivning for borgere i Odense",
            kind="municipal",
            description="Gratis og anonym rådgivning om gæld, budget og rykkere. Tag dine "
                        "breve med, så ser vi på dem sammen.\nVi taler også engelsk.",
            provider="Odense Kommune, Borgerservice", categories=("økonomi", "rådgivning"),
            target_groups=("gaeld_oekonomi",), min_age=18, municipalities=("Odense",),
            requires_referral=False, cost="gratis", address="Flakhaven 2", postcode="5000",
            lat=55.39594, lon=10.38831, schedule="man-tors kl. 9-15", languages=("da", "en"),
            accessibility=("koerestol", "hoereslynge"), contact="65 51 00 00",
            roles=("deltager",), low_threshold=("anonym",), capacity="waitlist",
            assured_date=date(2026, 1, 15)),
        OfferRecord(
            id="aarhus-ungefaellesskab", name="Ungefællesskabet – for unge 18-29 år",
            kind="association",
            description="Et trygt fællesskab for unge, der har det svært: spil, mad og snak "
                        "torsdag eftermiddag. Du kan tage en ven med første gang.",
            provider="Ungdommens Netværk Aarhus", categories=("fællesskab", "mental sundhed"),
            target_groups=("unge", "psykisk_saarbarhed", "ensomhed"), min_age=18, max_age=29,
            municipalities=("alle",), cost="gratis", address="Nørregade 18", postcode="8000",
            lat=56.15911, lon=10.21149, schedule="torsdage kl. 16-18", languages=("da",),
            contact="hej@ungdommensnetvaerk.example", roles=("deltager", "frivillig"),
            low_threshold=("modtagelse", "ledsager", "proevegang"), capacity="open",
            assured_date=date(2025, 11, 20)),
        OfferRecord(
            id="sommerhoejskole-paaroerende", name="Sommerhøjskole for pårørende",
            kind="association",
            description="En uge på højskole for dig, der er pårørende til en med psykisk "
                        "sygdom. Foredrag, samtalegrupper og hvile.",
            provider="Landsforeningen for Pårørende", categories=("højskole", "pårørende"),
            target_groups=("paaroerende",), min_age=18, municipalities=("alle",),
            cost="1.200 kr. inkl. kost og logi", schedule="uge 27, mandag til fredag",
            languages=("da",), valid_to=date(2025, 7, 4), contact="+45 70 20 30 40",
            roles=("deltager",), capacity="full", assured_date=date(2025, 3, 1)),
        OfferRecord(
            id="aarhus-bostoette-85", name="Socialpædagogisk bostøtte", kind="municipal",
            description="Støtte i eget hjem til at få hverdagen til at hænge sammen: "
                        "indkøb, økonomi, kontakt til myndigheder. Kræver visitation.",
            provider="Aarhus Kommune, Socialforvaltningen", categories=("bostøtte",),
            target_groups=("psykisk_saarbarhed", "autisme_adhd", "udviklingshaemning"),
            min_age=18, municipalities=("Aarhus",), requires_referral=True,
            legal_basis="SEL § 85", cost="gratis", postcode="8000", schedule="efter aftale",
            languages=("da",), contact="socialforvaltningen@aarhus.example",
            roles=("deltager",), capacity="waitlist", assured_date=date(2026, 2, 2)),
        OfferRecord(
            id="odense-cafe-vaeksthuset", name="Café Væksthuset – praktik og fleksjob",
            kind="social_economy",
            description="Socialøkonomisk café, hvor du kan komme i praktik, fleksjob eller "
                        "løntilskud i køkken og servering. Vi tager hensyn til dine skånebehov.",
            provider="Væksthuset Socialøkonomisk Café ApS", categories=("job", "køkken", "café"),
            target_groups=("ledighed", "psykisk_saarbarhed"), min_age=18, max_age=67,
            municipalities=("alle",), legal_basis="LAB § 42", cost="gratis",
            address="Jernbanegade 12", postcode="5000", lat=55.40102, lon=10.38603,
            schedule="man-fre 8-14", languages=("da", "en"),
            accessibility=("koerestol", "let_dansk"), contact="job@vaeksthuset.example",
            roles=("job", "frivillig"), low_threshold=("proevegang", "modtagelse"),
            capacity="open", assured_date=date(2025, 12, 1)),
        OfferRecord(
            id="aalborg-strikkeklub", name="Strikkeklub i Frivilligcenteret", kind="association",
            description="Vi strikker, hækler og drikker kaffe. Garn og pinde kan lånes.",
            provider="Frivilligcenter Aalborg", categories=("håndarbejde", "fællesskab"),
            target_groups=("alle",), municipalities=("alle",), cost="10 kr. for kaffe",
            address="Danmarksgade 25", postcode="9000", lat=57.04626, lon=9.92189,
            schedule="onsdage kl. 13-15", languages=("da",), accessibility=("hoereslynge",),
            contact="98 12 34 56", roles=("deltager",), low_threshold=("ingen_tilmelding",)),
        OfferRecord(
            id="esbjerg-sprogcafe", name="Sprogcafé – øv dansk over en kop te",
            kind="association",
            description="Øv dansk med frivillige i en hyggelig café. Du behøver ikke at kunne "
                        "dansk i forvejen; vi taler også arabisk og ukrainsk.",
            provider="Røde Kors Esbjerg", categories=("sprog", "integration"),
            target_groups=("flygtninge_indvandrere", "ensomhed"), municipalities=("alle",),
            requires_referral=False, cost="gratis", address="Kongensgade 40", postcode="6700",
            lat=55.46703, lon=8.45181, schedule="onsdage kl. 17-19",
            languages=("da", "ar", "uk"), accessibility=("let_dansk",),
            roles=("deltager", "frivillig"), low_threshold=("uden_dansk", "anonym"),
            capacity="open", assured_date=date(2025, 10, 10)),
        OfferRecord(
            id="esbjerg-kriseraadgivning", name="Rådgivning om vold i nære relationer",
            kind="municipal",
            description="Samtaler med en rådgiver, hvis du udsættes for vold eller trusler fra "
                        "en partner eller et familiemedlem. Rådgivningen holder sommerpause.",
            provider="Esbjerg Kommune", target_groups=("vold_i_naere_relationer",),
            municipalities=("Esbjerg", "Fanø"), requires_referral=False, cost="gratis",
            schedule="efter aftale", contact="75 16 16 16", low_threshold=("anonym",),
            status="paused", assured_date=date(2025, 6, 30)),
        OfferRecord(
            id="sorggruppe", name="Sorggruppe", kind="association",
            description="En lille gruppe for voksne, der har mistet en nær."),
    ]


def killed_child(script: str, *args: str) -> None:
    """Run ``script`` (Python source) with ``args`` in a new process from the repository's root;
    it must end by sending SIGKILL to itself at the moment it chooses."""
    child = subprocess.run([sys.executable, "-c", script, *args], cwd=Path(__file__).parents[1],
                           capture_output=True, text=True, timeout=600)
    assert child.returncode == -signal.SIGKILL, child.stderr
