"""The question's cosines with each figure's claim text, sentence, title, series and entity phrases."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from assistant.reader.semantic import ClaimSimilarity, claim_text
from conftest import PROVINCES, views_of


def _vector(text: str) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
    vector = np.random.default_rng(seed).normal(size=16)
    return vector / np.linalg.norm(vector)


class FakeEmbeddings:
    """A unit vector per text (by its hash), counting what it was asked to embed."""

    def __init__(self):
        self.embedded: list[str] = []

    def embed_documents(self, texts):
        self.embedded += list(texts)
        return [_vector(t).tolist() for t in texts]


@pytest.fixture
def provinces(tmp_path):
    views, _ = views_of(tmp_path, PROVINCES)
    (view,) = views.values()
    return view


def test_series_and_entity_phrases_are_embedded_once_per_document(provinces):
    embeddings = FakeEmbeddings()
    semantic = ClaimSimilarity(embeddings)
    question = _vector("query")
    banten = next(c for c in provinces.claims.values() if c.entity == "Banten")
    assert semantic.phrase_similarity(question, provinces, banten.entity) == pytest.approx(
        float(_vector("Banten") @ question), abs=1e-6)
    assert semantic.phrase_similarity(question, provinces, banten.series) == pytest.approx(
        float(_vector(banten.series) @ question), abs=1e-6)
    assert semantic.phrase_similarity(question, provinces, None) == 0.0
    assert semantic.phrase_similarity(question, provinces, "a phrase of no claim") == 0.0
    asked = len(embeddings.embedded)
    figure = banten.figure or next(f for f in provinces.figures if f.start == banten.start)
    claim_cos, _, _ = semantic.similarities(question, provinces, figure)
    assert claim_cos == pytest.approx(float(_vector(claim_text(provinces, figure)) @ question), abs=1e-6)
    assert len(embeddings.embedded) == asked, "the document's vectors are made once"
    assert embeddings.embedded.count("Banten") == 1
