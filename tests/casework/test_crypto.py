"""Keys come from the settings (environment or a file; the demo generates one), never from the
database; missing keys are a clear error; rotation re-encrypts everything under a new key."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from casework import citizens
from casework.crypto import KeyProblem, Vault, load_keys
from casework.models import Conversation
from casework.rotation import rotate_key
from catalogue.settings import Settings, load_settings
from tests.casework.conftest import MARKER, new_citizen


def test_a_missing_key_outside_the_demo_is_a_clear_error(tmp_path):
    with pytest.raises(KeyProblem) as missing:
        load_keys(Settings(instance_dir=tmp_path))
    assert "BROBYGGER_CASEWORK_KEY" in missing.value.da and "BROBYGGER_CASEWORK_KEY" in missing.value.en
    with pytest.raises(KeyProblem):
        load_keys(Settings(instance_dir=tmp_path, casework_key_file=tmp_path / "absent.key"))
    with pytest.raises(KeyProblem):
        load_keys(Settings(instance_dir=tmp_path, casework_key="not-a-key"))


def test_the_demo_generates_its_key_file_once_readable_by_the_owner_only(tmp_path):
    settings = Settings(instance_dir=tmp_path, demo=True)
    first = load_keys(settings)
    assert load_keys(settings) == first and len(first) == 1
    assert (settings.demo_key_file.stat().st_mode & 0o777) == 0o600


def test_keys_from_the_environment_first_one_encrypts(tmp_path):
    new, old = Fernet.generate_key(), Fernet.generate_key()
    sealed_by_old = Vault((old,)).seal("hej")
    settings = load_settings({"BROBYGGER_INSTANCE_DIR": str(tmp_path),
                              "BROBYGGER_CASEWORK_KEY": f"{new.decode()},{old.decode()}"})
    vault = Vault.from_settings(settings)
    assert vault.open(sealed_by_old) == "hej"
    assert Vault((new,)).open(vault.seal("hej")) == "hej"
    with pytest.raises(KeyProblem):
        Vault((Fernet.generate_key(),)).open(sealed_by_old)


def test_rotate_key_reencrypts_everything_and_retires_the_old_key(guide_desk, tmp_path):
    key_file = tmp_path / "casework.key"
    key_file.write_text(guide_desk.vault.keys[0].decode() + "\n")
    settings = Settings(instance_dir=tmp_path, casework_key_file=key_file)
    cid = citizens.create_citizen(guide_desk, new_citizen())
    citizens.save_conversation(guide_desk, cid, {"dreams": MARKER})
    assert rotate_key(settings, guide_desk.sessions) >= 4
    rotated = Vault.from_settings(settings)
    assert rotated.keys != guide_desk.vault.keys and len(rotated.keys) == 1
    with guide_desk.sessions() as session:
        sealed = session.scalar(select(Conversation.dreams_sealed))
    assert rotated.open(sealed) == MARKER
    with pytest.raises(KeyProblem):
        guide_desk.vault.open(sealed)
