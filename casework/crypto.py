"""Encryption at rest of the citizens' free text: Fernet keys through ``MultiFernet``, so that
a new key encrypts while older ones still decrypt until ``brobygger rotate-key`` has moved
everything onto the new one. Keys come from the settings (environment or a key file), never
from the database."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from catalogue.settings import Settings


class KeyProblem(Exception):
    """No usable casework key: the Danish and English reason, printed without a traceback."""

    def __init__(self, da: str, en: str):
        super().__init__(f"{da} / {en}")
        self.da, self.en = da, en


def missing_key() -> KeyProblem:
    return KeyProblem(
        "Der er ingen nøgle til borgerdata. Sæt BROBYGGER_CASEWORK_KEY (fra `python -c \"from "
        "cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\"`) eller "
        "BROBYGGER_CASEWORK_KEY_FILE, eller BROBYGGER_DEMO=1 for en demo.",
        "There is no key for citizen data. Set BROBYGGER_CASEWORK_KEY or "
        "BROBYGGER_CASEWORK_KEY_FILE, or BROBYGGER_DEMO=1 for a demo.")


def parse_keys(text: str) -> list[bytes]:
    """Keys separated by commas or lines, the first being the one that encrypts."""
    keys = [k.strip().encode() for k in text.replace(",", "\n").splitlines() if k.strip()]
    for key in keys:
        try:
            Fernet(key)
        except ValueError:
            raise KeyProblem("En nøgle til borgerdata er ikke en gyldig Fernet-nøgle.",
                             "A citizen-data key is not a valid Fernet key.") from None
    return keys


def write_key_file(path: Path, keys: list[bytes]) -> None:
    """Replace ``path`` atomically with ``keys`` (one a line), readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".new")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write("".join(k.decode() + "\n" for k in keys))
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)


def key_file(settings: Settings) -> Path | None:
    """The key file in use: the configured one, else the demo's; None when keys come from the
    environment."""
    if settings.casework_key:
        return None
    if settings.casework_key_file is not None:
        return settings.casework_key_file
    return settings.demo_key_file if settings.demo else None


def load_keys(settings: Settings) -> list[bytes]:
    """The keys the settings name; the demo generates its key file on first use."""
    if settings.casework_key:
        return parse_keys(settings.casework_key)
    path = key_file(settings)
    if path is None:
        raise missing_key()
    if not path.is_file():
        if path != settings.demo_key_file:
            raise KeyProblem(f"Nøglefilen {path} findes ikke.", f"The key file {path} does not exist.")
        write_key_file(path, [Fernet.generate_key()])
    keys = parse_keys(path.read_text(encoding="utf-8"))
    if not keys:
        raise missing_key()
    return keys


@dataclass(frozen=True)
class Vault:
    """Seals text into tokens and opens them again; None stays None (an empty field)."""

    keys: tuple[bytes, ...]

    @classmethod
    def from_settings(cls, settings: Settings) -> "Vault":
        return cls(tuple(load_keys(settings)))

    @cached_property
    def _fernet(self) -> MultiFernet:
        return MultiFernet([Fernet(k) for k in self.keys])

    def seal(self, text: str | None) -> str | None:
        if text is None:
            return None
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def open(self, token: str | None) -> str | None:
        if token is None:
            return None
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise KeyProblem("Borgerdata kan ikke dekrypteres med de nøgler, der er sat op.",
                             "Citizen data cannot be decrypted with the configured keys.") from None

    def reseal(self, token: str | None) -> str | None:
        """The same text under the first key (for key rotation)."""
        if token is None:
            return None
        return self._fernet.rotate(token.encode("ascii")).decode("ascii")
