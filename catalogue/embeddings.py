"""The embedding cache in the database: one vector per offer and model, keyed by text hash,
so a restart or a new worker rebuilds its index without encoding anything again."""

from __future__ import annotations

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from catalogue.models import OfferEmbedding


def load_vector_cache(session: Session, model: str) -> dict[str, np.ndarray]:
    """Text hash -> vector for every cached embedding of ``model``."""
    rows = session.execute(select(OfferEmbedding.text_hash, OfferEmbedding.vector)
                           .where(OfferEmbedding.model == model))
    return {text_hash: np.frombuffer(vector, dtype=np.float32) for text_hash, vector in rows}


def store_vectors(session: Session, model: str,
                  rows: list[tuple[int, str, np.ndarray]]) -> int:
    """Save (offer id, text hash, vector) rows, replacing an offer's older vector; returns count."""
    if not rows:
        return 0
    offer_ids = [offer_id for offer_id, _, _ in rows]
    for start in range(0, len(offer_ids), 1000):
        session.execute(delete(OfferEmbedding).where(
            OfferEmbedding.model == model,
            OfferEmbedding.offer_id.in_(offer_ids[start:start + 1000])))
    session.add_all(OfferEmbedding(offer_id=offer_id, model=model, text_hash=text_hash,
                                   vector=np.asarray(vector, np.float32).tobytes())
                    for offer_id, text_hash, vector in rows)
    return len(rows)


def stale_vector_rows(session: Session, model: str, current: dict[int, str]) -> list[int]:
    """Offer ids whose stored vector (if any) was made from other text than now."""
    stored = dict(session.execute(select(OfferEmbedding.offer_id, OfferEmbedding.text_hash)
                                  .where(OfferEmbedding.model == model)).all())
    return [offer_id for offer_id, text_hash in current.items() if stored.get(offer_id) != text_hash]
