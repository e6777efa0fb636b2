"""Indonesian-aware lexical retrieval: a tokenizer (Sastrawi stems, stopwords, whole numbers) and a
BM25 index (bm25s) whose scores are normalised to [0, 1] so they can be added to cosine scores."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
from collections.abc import Iterable, Sequence
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

# A number as written: digits with "." / "," group or decimal separators kept inside ("1.234,56").
# Words: runs of letters, optionally hyphenated ("e-commerce", "UMKM-UMKM").
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:-[^\W\d_]+)*")
# A single separator followed by one or two digits is a decimal in both conventions ("22,8", "22.8").
_PLAIN_DECIMAL_RE = re.compile(r"^(\d+)[.,](\d{1,2})$")

ENGLISH_STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from into onto about as than then so
    is are was were be been being am do does did done has have had having will would shall should
    can could may might must it its this that these those there here he she they them his her their
    we our you your i me my what which who whom whose when where why how many much
    not no nor all any some each every both either neither more most other such only own same very
    just also too up down out over under again once during before after above below between
    through while until per vs""".split()
)

# Words in Sastrawi's stopword list that carry meaning for questions about figures and periods
# (direction of change, start/end of a period, time units); they are kept as terms.
_KEPT_INDONESIAN_WORDS = frozenset({"awal", "akhir", "bulan", "naik", "tambah", "baru", "besar", "pertama", "total"})


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    indonesian = set(StopWordRemoverFactory().get_stop_words()) - _KEPT_INDONESIAN_WORDS
    return frozenset(indonesian | ENGLISH_STOPWORDS)


@lru_cache(maxsize=1)
def _stemmer():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


_STEM_CACHE: dict[str, str] = {}


def stem(word: str) -> str:
    """Sastrawi stem of one lowercase word (cached: Sastrawi takes ~0.15 ms a word)."""
    cached = _STEM_CACHE.get(word)
    if cached is None:
        cached = _stemmer().stem(word) or word
        if len(_STEM_CACHE) < 500_000:
            _STEM_CACHE[word] = cached
    return cached


def _normalise_number(token: str) -> str:
    match = _PLAIN_DECIMAL_RE.match(token)
    return f"{match.group(1)},{match.group(2)}" if match else token


def tokenize(text: str) -> list[str]:
    """Lowercase terms of `text`: numbers whole ("22,8", "1.234,56", "2023"; "22.8" → "22,8"),
    currency prefixes split off ("Rp4.500" → "rp", "4.500"), words Sastrawi-stemmed, Indonesian
    and English stopwords removed. Reduplications ("UMKM-UMKM") count once; other hyphenated
    words are split into their parts."""
    stopwords = _stopwords()
    tokens: list[str] = []
    for raw in _TOKEN_RE.findall(text.lower()):
        if raw[0].isdigit():
            tokens.append(_normalise_number(raw))
            continue
        parts = raw.split("-")
        if len(set(parts)) == 1:
            parts = parts[:1]
        for part in parts:
            if part in stopwords:
                continue
            stemmed = stem(part)
            if stemmed and stemmed not in stopwords:
                tokens.append(stemmed)
    return tokens


def fingerprint(ids: Iterable[str], texts: Iterable[str]) -> str:
    """Hash of the chunk ids and texts (sorted by id): the index is rebuilt only when it changes."""
    digest = hashlib.sha256()
    for chunk_id, text in sorted(zip(ids, texts)):
        digest.update(chunk_id.encode())
        digest.update(b"\0")
        digest.update(hashlib.sha256(text.encode()).digest())
    return digest.hexdigest()[:32]


class LexicalIndex:
    """BM25 over chunk texts. `scores(query)` returns the matching chunks' scores normalised to
    [0, 1] (see `scores` and docs/retrieval.md for the measured choice of normalisation). It also
    knows each chunk's document (`sources`), so the library's documents are listed without a store read."""

    META_FILE = "lexical_meta.json"
    normalisation = "bound"

    def __init__(self, ids: Sequence[str], bm25, fingerprint_value: str, sources: Sequence[str] | None = None):
        self.ids = list(ids)
        self._bm25 = bm25
        self.fingerprint = fingerprint_value
        self.sources = list(sources) if sources is not None else None  # each chunk's document, in `ids` order

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str], sources: Sequence[str] | None = None) -> LexicalIndex:
        """Index `texts` (one per id) with BM25 (Lucene variant, k1=1.5, b=0.75)."""
        import bm25s

        if len(ids) != len(texts):
            raise ValueError(f"{len(ids)} ids but {len(texts)} texts")
        bm25 = bm25s.BM25()
        if ids:
            corpus_tokens = [tokenize(text) for text in texts]
            # bm25s needs at least one token per document; an empty chunk gets a marker that no query produces.
            corpus_tokens = [tokens or ["\u2205"] for tokens in corpus_tokens]
            bm25.index(corpus_tokens, show_progress=False)
        return cls(ids, bm25, fingerprint(ids, texts), sources)

    @classmethod
    def from_chunks(cls, chunks: Iterable) -> LexicalIndex:
        chunk_list = list(chunks)
        sources = [getattr(c, "source", None) for c in chunk_list]
        return cls.build([c.id for c in chunk_list], [c.text for c in chunk_list],
                         sources if None not in sources else None)

    def documents(self) -> list[str] | None:
        """The indexed documents' sources, sorted; None when the index was built without them."""
        return list(self._documents) if self._documents is not None else None

    @cached_property
    def _documents(self) -> tuple[str, ...] | None:
        # once per index (a refresh makes a new one): listing documents is per question, the chunks are many
        return tuple(sorted(set(self.sources))) if self.sources is not None else None

    def best_documents(self, query: str, n: int) -> list[str]:
        """The `n` documents whose best chunk matches `query` best (BM25), best first."""
        best: dict[str, float] = {}
        for chunk_id, score in self.scores(query, normalisation="max").items():
            source = self._source_of[chunk_id]
            best[source] = max(best.get(source, 0.0), score)
        return sorted(best, key=lambda source: (-best[source], source))[:n]

    @cached_property
    def _source_of(self) -> dict[str, str]:
        return dict(zip(self.ids, self.sources or ()))

    def __len__(self) -> int:
        return len(self.ids)

    def raw_scores(self, query: str) -> np.ndarray:
        """Unnormalised BM25 score of every chunk, in `self.ids` order."""
        if not self.ids:
            return np.zeros(0, dtype=np.float32)
        token_ids = self._bm25.get_tokens_ids(tokenize(query))
        if not token_ids:
            return np.zeros(len(self.ids), dtype=np.float32)
        return self._bm25.get_scores_from_ids(token_ids)

    def specificity(self, terms: Iterable[str]) -> dict[str, float]:
        """Each term's BM25 idf over the chunks: how rare (how telling) it is in this library; a term no chunk
        has gets the highest idf."""
        n_docs = int(self._bm25.scores["num_docs"]) if self.ids else 0
        indptr = self._bm25.scores["indptr"] if self.ids else None
        vocabulary = self._bm25.vocab_dict if self.ids else {}
        weights = {}
        for term in terms:
            token_id = vocabulary.get(term)
            doc_freq = int(indptr[token_id + 1] - indptr[token_id]) if token_id is not None else 0
            weights[term] = float(np.log(1 + (n_docs - doc_freq + 0.5) / (doc_freq + 0.5)))
        return weights

    def score_bound(self, query: str) -> float:
        """The highest BM25 score the query's indexed terms could reach: sum of idf × (k1 + 1).

        Lucene BM25's term-frequency factor tf·(k1+1)/(tf + k1·(1 − b + b·dl/avgdl)) stays below
        k1 + 1, so every raw score is below this bound."""
        if not self.ids:
            return 0.0
        token_ids = self._bm25.get_tokens_ids(tokenize(query))
        indptr = self._bm25.scores["indptr"]
        n_docs = self._bm25.scores["num_docs"]
        bound = 0.0
        for token_id in token_ids:
            doc_freq = int(indptr[token_id + 1] - indptr[token_id])
            bound += float(np.log(1 + (n_docs - doc_freq + 0.5) / (doc_freq + 0.5))) * (self._bm25.k1 + 1)
        return bound

    def scores(self, query: str, normalisation: str | None = None) -> dict[str, float]:
        """Chunk id → normalised BM25 score in [0, 1], for chunks that match at least one term.

        normalisation "bound" (default): raw / `score_bound(query)`, how much of the query's
        attainable score the chunk reaches, so a chunk sharing only a common word stays near 0.
        "max": raw / the best raw score for this query (the top match is 1). "bound" has the wider
        safe range of fusion weights (docs/retrieval.md)."""
        normalisation = normalisation or self.normalisation
        raw = self.raw_scores(query)
        best = float(raw.max(initial=0.0))
        if best <= 0.0:
            return {}
        if normalisation == "max":
            divisor = best
        elif normalisation == "bound":
            divisor = max(self.score_bound(query), best)
        else:
            raise ValueError(f"unknown normalisation {normalisation!r}: use 'bound' or 'max'")
        matched = np.flatnonzero(raw > 0)
        return {self.ids[i]: float(raw[i]) / divisor for i in matched}

    def top(self, query: str, n: int) -> list[tuple[str, float]]:
        """The `n` best (chunk id, normalised score) pairs, best first."""
        ranked = sorted(self.scores(query).items(), key=lambda item: item[1], reverse=True)
        return ranked[:n]

    def save(self, folder: Path, stamp: Sequence[str | None] | None = None) -> None:
        """Write the index to `folder` (bm25s arrays + ids, sources, fingerprint and the store's version
        `stamp`), into a side folder swapped in at the end, so a reader never sees half an index."""
        folder = Path(folder)
        side = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
        shutil.rmtree(side, ignore_errors=True)
        side.mkdir(parents=True)
        if self.ids:
            self._bm25.save(str(side), show_progress=False)
        self._write_meta(side, stamp)
        old = folder.with_name(f"{folder.name}.old-{os.getpid()}")
        if folder.exists():
            folder.rename(old)
        side.rename(folder)
        shutil.rmtree(old, ignore_errors=True)

    def _write_meta(self, folder: Path, stamp: Sequence[str | None] | None) -> None:
        names = self.documents()
        number = {name: i for i, name in enumerate(names or ())}
        meta = {"fingerprint": self.fingerprint, "ids": self.ids, "stamp": list(stamp) if stamp else None,
                "documents": names, "source_of": [number[s] for s in self.sources] if names is not None else None}
        tmp = folder / (self.META_FILE + ".tmp")
        tmp.write_text(json.dumps(meta), encoding="utf-8")
        tmp.replace(folder / self.META_FILE)

    @classmethod
    def _stored(cls, folder: Path, key: str):
        try:
            return json.loads((Path(folder) / cls.META_FILE).read_text(encoding="utf-8"))[key]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    @classmethod
    def stored_fingerprint(cls, folder: Path) -> str | None:
        """Fingerprint of the index saved in `folder`, or None when there is none or it is unreadable."""
        return cls._stored(folder, "fingerprint")

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """Read an index written by `save`; raises OSError/ValueError when it is missing or corrupt."""
        import bm25s

        folder = Path(folder)
        meta = json.loads((folder / cls.META_FILE).read_text(encoding="utf-8"))
        ids = meta["ids"]
        bm25 = bm25s.BM25.load(str(folder), show_progress=False, verbosity=0) if ids else bm25s.BM25()
        names, source_of = meta.get("documents"), meta.get("source_of")
        sources = [names[i] for i in source_of] if names is not None and source_of is not None else None
        if sources is not None and len(sources) != len(ids):
            raise ValueError(f"{len(ids)} ids but {len(sources)} sources in {folder}")
        return cls(ids, bm25, meta["fingerprint"], sources)

    @classmethod
    def load_or_build(cls, folder: Path, chunks: Iterable, stamp: Sequence[str | None] | None = None) -> LexicalIndex:
        """The index saved in `folder` if it was built from exactly these chunks, else a fresh one; saved
        with the store's version `stamp` either way, so `load_for_stamp` finds it next time."""
        chunk_list = list(chunks)
        wanted = fingerprint([c.id for c in chunk_list], [c.text for c in chunk_list])
        if cls.stored_fingerprint(folder) == wanted:
            try:
                index = cls.load(folder)
                if index.sources is None or cls._stored(folder, "stamp") != (list(stamp) if stamp else None):
                    index = cls(index.ids, index._bm25, index.fingerprint, _sources_in_order(index.ids, chunk_list))
                    index._write_meta(Path(folder), stamp)
                return index
            except (OSError, ValueError, KeyError) as error:
                logger.warning("lexical index in %s unreadable (%s); rebuilding", folder, error)
        index = cls.from_chunks(chunk_list)
        try:
            index.save(folder, stamp)
        except OSError as error:
            logger.warning("could not save the lexical index to %s: %s", folder, error)
        return index

    @classmethod
    def load_for_stamp(cls, folder: Path, stamp: Sequence[str | None] | None, read_chunks) -> LexicalIndex:
        """The index saved in `folder` for the store's version `stamp`, loaded without reading the store;
        otherwise `load_or_build` over `read_chunks()` (every chunk: only when the store changed)."""
        if stamp is not None and stamp[-1] is not None and cls._stored(folder, "stamp") == list(stamp):
            try:
                index = cls.load(folder)
                if index.sources is not None:
                    return index
            except (OSError, ValueError, KeyError) as error:
                logger.warning("lexical index in %s unreadable (%s); rebuilding", folder, error)
        return cls.load_or_build(folder, read_chunks(), stamp)


def _sources_in_order(ids: Sequence[str], chunks: Sequence) -> list[str] | None:
    source_of = {c.id: getattr(c, "source", None) for c in chunks}
    sources = [source_of[chunk_id] for chunk_id in ids]
    return None if None in sources else sources
