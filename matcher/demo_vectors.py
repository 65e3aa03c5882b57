"""The demo catalogue's embeddings ship with the package
(``catalogue/data/demo_embeddings-<encoder>.npz``, text hash -> vector of each offer's text),
stamped with the encoder's name and the digest of the demo catalogue they were made from.

``load-demo`` seeds the database's embedding cache from it, only for offers whose text hash is
in the file, so an edited demo offer is still encoded; the evaluation harness reads it too.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from catalogue.demo import demo_catalogue_path
from catalogue.embeddings import stale_vector_rows, store_vectors
from catalogue.records import OfferRecord
from catalogue.repository import load_keyed_records
from matcher.encoder import Encoder, Progress, encode_with_cache, encoder_slug, text_hash
from matcher.index import offer_text
from matcher.vector_cache import load_stamped, save_stamped


def demo_vectors_path(encoder_name: str) -> Path:
    return Path(str(resources.files("catalogue") / "data" / f"demo_embeddings-{encoder_slug(encoder_name)}.npz"))


def demo_catalogue_digest() -> str:
    return hashlib.sha256(demo_catalogue_path().read_bytes()).hexdigest()[:16]


def write_demo_vectors(records: list[OfferRecord], encoder: Encoder, path: Path | None = None,
                       progress: Progress | None = None) -> Path:
    """Encode the demo catalogue's offer texts and write them stamped (``build-theme-vectors``)."""
    path = path or demo_vectors_path(encoder.name)
    texts = list(dict.fromkeys(offer_text(r) for r in records))   # file order: the same batches as an index build
    vectors, _ = encode_with_cache(texts, encoder, {}, progress=progress)
    save_stamped(path, {"catalogue": demo_catalogue_digest(), "encoder": encoder.name},
                 {"hashes": np.array([text_hash(t) for t in texts]), "vectors": vectors})
    return path


def shipped_demo_vectors(encoder_name: str, path: Path | None = None) -> dict[str, np.ndarray]:
    """Text hash -> vector from the shipped file, if it was made by this encoder; else empty."""
    found = load_stamped(path or demo_vectors_path(encoder_name))
    if found is None or found[0].get("encoder") != encoder_name:
        return {}
    arrays = found[1]
    return dict(zip(arrays["hashes"].tolist(), arrays["vectors"].astype(np.float32)))


def seed_demo_vectors(sessions: sessionmaker[Session], encoder_name: str) -> int:
    """Store shipped vectors for offers that have none (or an outdated one) and whose text is
    exactly the shipped text; returns how many were stored."""
    shipped = shipped_demo_vectors(encoder_name)
    if not shipped:
        return 0
    with sessions.begin() as session:
        hashes = {offer_id: text_hash(offer_text(record))
                  for offer_id, record in load_keyed_records(session)}
        hashes = {offer_id: h for offer_id, h in hashes.items() if h in shipped}
        stale = stale_vector_rows(session, encoder_name, hashes)
        return store_vectors(session, encoder_name, [(offer_id, hashes[offer_id], shipped[hashes[offer_id]])
                                                     for offer_id in stale])
