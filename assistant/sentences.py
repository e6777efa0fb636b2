"""Non-numeric questions (who, when, which, why): the sentences of the briefings that answer them."""

from __future__ import annotations

import re

from assistant.analyse import QuestionAnalysis
from assistant.evidence import DocumentView
from assistant.lexicon import IMPLIED_ENTITIES, PLACES
from assistant.matching import entity_named, has_form, names_topic, sentence_context, stems_of
from assistant.periods import find_time_mentions
from assistant.read import period_relation
from assistant.schema import ScoredChunk


# What a sentence that answers each kind of question tends to contain.
# A person's name: two to four capitalised words that are not the words of an institution or a rule.
_NOT_NAME = r"(?!(?:Nomor|Number|Tahun|Peraturan|Regulation|Undang|Pemerintah|Kementerian|Ministry|Badan|Bank|" \
            r"Index|Indeks|Perdagangan|Keuangan|Investasi|Statistik|Pusat|Menteri|Minister)\b)"
_PERSON = r"(?:" + _NOT_NAME + r"[A-Z][a-z]+\s+){1,3}" + _NOT_NAME + r"[A-Z][a-z]+"
_QUESTION_CUES: list[tuple[re.Pattern, re.Pattern]] = [
    (re.compile(r"\b(siapa|who|whom)\b", re.I),
     re.compile(r"(?<!^)\b" + _PERSON + r"\b.{0,80}\b(?i:ujar|ujarnya|kata|katanya|menyampaikan|melaporkan|"
                r"mengatakan|menjelaskan|memaparkan|mengumumkan|ungkap|ungkapnya|said|says|told|stated|reported|explained|presented|announced)\b|"
                r"\b(?i:deputi|menteri|kepala|direktur|gubernur|governor|minister|head|deputy|director|"
                r"spokes\w*)\b\s+(?:[^\W\d_]+\s+){0,8}" + _PERSON + r"|\b(?i:said|says|told|kata|ujar|ungkap|"
                r"jelas)\s+(?:[^\W\d_]+\s+){0,4}" + _PERSON)),
    (re.compile(r"\b(kapan|when|hari apa|tanggal berapa|what day|what date)\b", re.I),
     re.compile(r"\b(senin|selasa|rabu|kamis|jumat|sabtu|minggu|monday|tuesday|wednesday|thursday|friday|"
                r"saturday|sunday|\d{1,2}/\d{1,2}/\d{2,4})\b|\b\d{1,2}\s+(januari|februari|maret|april|mei|juni|"
                r"juli|agustus|september|oktober|november|desember|january|february|march|may|june|july|august|"
                r"october|december)\s+20\d\d\b", re.I)),
    (re.compile(r"\b(acara|event|forum|occasion|konferensi|conference)\b", re.I),
     re.compile(r"\b(acara|media briefing|konferensi pers|konferensi|conference|press conference|seminar|forum|"
                r"rapat|peluncuran|launch(?:ing)?|webinar|briefing)\b", re.I)),
    (re.compile(r"\b(provinsi|province|daerah|region|wilayah)\b", re.I),
     re.compile(r"\b(jawa|sumatera|sumatra|sulawesi|kalimantan|papua|bali|nusa tenggara|dki|banten|riau|aceh|"
                r"maluku|lampung|bengkulu|jambi|gorontalo|yogyakarta|java|province|provinsi)\b", re.I)),
    (re.compile(r"\b(negara mana|negara apa|negara asal|negara tujuan|which country|what country|countries)\b", re.I),
     re.compile(r"\b(" + "|".join(re.escape(f) for forms in PLACES.values() for f in forms) + r")\b", re.I)),
    (re.compile(r"\b(sektor|sector|industri|industry)\b", re.I),
     re.compile(r"\b(sektor|sector|industri|industry)\b", re.I)),
    (re.compile(r"\b(aturan|peraturan|regulasi|regulation|rule|undang-undang|law)\b", re.I),
     re.compile(r"\b(aturan|peraturan|regulasi|regulation|permen|perpres|pp|uu|undang-undang|law|no\.)", re.I)),
    (re.compile(r"\b(mengapa|kenapa|why|alasan|reason)\b", re.I),
     re.compile(r"\b(karena|sebab|tercermin|akibat|didorong|dipicu|citing|cited|because|due to|driven|"
                r"reflect\w*|as a result|untuk menjaga|to support|to curb|to stabili[sz]e)\b", re.I)),
    (re.compile(r"\b(harap|harapan|berharap|hope|hopes|wish|ingin|want|wants)\b", re.I),
     re.compile(r"\b(harap|berharap|harapan|hope|hopes|expects?|ingin|semoga|intinya)\b", re.I)),
    (re.compile(r"\b(sektor|pelaku|siapa saja|pihak|players|partners|sectors|parties|work with|bersinergi|"
                r"industry|industri)\b", re.I),
     re.compile(r"\b(sinergi|bersinergi|merangkul|rangkul|bekerja sama|kolaborasi|mitra|partner\w*|pelaku "
                r"(?:usaha|e-commerce|industri)|together with)\b", re.I)),
]


# Kinds of question that only a sentence naming such a thing can answer.
_REQUIRED_CUES = (r"\b(siapa|who", r"\b(kapan|when", r"\b(provinsi|province", r"\b(negara mana|negara apa",
                  r"\b(aturan|peraturan")

_RANKS = {
    1: ("pertama", "first", "terbesar", "largest", "biggest", "tertinggi", "highest", "top", "ke-1", "memimpin",
        "leads", "led"),
    2: ("kedua", "second", "ke-2", "disusul", "followed"),
    3: ("ketiga", "third", "ke-3"),
    4: ("keempat", "fourth", "ke-4"),
    5: ("kelima", "fifth", "ke-5"),
}


def _rank_fit(question: str, sentence: str) -> float:
    """'Which country was fifth' wants the sentence with 'kelima'/'fifth', not another rank."""
    asked = [rank for rank, forms in _RANKS.items() if has_form(forms, question.lower())]
    if not asked:
        return 0.0
    lowered = sentence.lower()
    found = [rank for rank, forms in _RANKS.items() if has_form(forms, lowered)]
    return 0.6 if asked[0] in found else (-0.2 if found else 0.0)


def best_sentences(analysis: QuestionAnalysis, retrieved: list[ScoredChunk], views: dict[str, DocumentView],
                   limit: int = 2) -> list[tuple[DocumentView, tuple[int, int], float]]:
    """The sentences that best answer a non-numeric question, from every sentence of the retrieved
    documents: the similarity of the best retrieved chunk holding it (else the weakest one's), words
    shared with the question, the question's topics and names, and the cue words of the question's
    kind (a named speaker for 'who', a date for 'when', a reason for 'why', a rank for 'which … first')."""
    cues = [answer for question, answer in _QUESTION_CUES if question.search(analysis.text)]
    if not retrieved:
        return []
    floor = min(s.dense for s in retrieved) - 0.02
    names = [e for e in analysis.entities if e.lower() not in IMPLIED_ENTITIES]
    scored: list[tuple[DocumentView, tuple[int, int], float]] = []
    for source in dict.fromkeys(s.chunk.source for s in retrieved):
        view = views.get(source)
        if view is None:
            continue
        chunks = [(rank, s) for rank, s in enumerate(retrieved) if s.chunk.source == source]
        for start, end in view.sentences:
            holding = [(rank, s) for rank, s in chunks if s.chunk.start <= start and end <= s.chunk.end]
            base = max((s.score - 0.01 * rank for rank, s in holding), default=floor)
            sentence = view.text[start:end]
            words = set(stems_of(sentence))
            overlap = len(analysis.terms & words) / max(1, len(analysis.terms))
            around_words, around = sentence_context(view, start, end)
            topics = sum(1 for group in analysis.topic_terms if names_topic(group, around_words, around))
            topics += 0.5 * sum(1 for group in analysis.topic_terms
                                if names_topic(group, set(stems_of(view.title)), view.title.lower()))
            named = sum(1 for name in names if entity_named(name, around))
            period_bonus = 0.3 if any(
                period_relation(p, m.period) == "match" for p in analysis.periods
                for m in find_time_mentions(around + "\n" + view.title, view.published)) else 0.0
            length_penalty = 0.15 if end - start < 40 else 0.0
            cue_bonus = 0.5 * sum(1 for c in cues if c.search(sentence)) + _rank_fit(analysis.text, sentence)
            score = base + 0.5 * overlap + cue_bonus + 0.3 * topics + 0.3 * named + period_bonus - length_penalty
            scored.append((view, (start, end), score))
    # a 'who' / 'when' / 'which country' question is answered only by a sentence that names one
    required = [answer for question, answer in _QUESTION_CUES
                if question.pattern.startswith(_REQUIRED_CUES) and question.search(analysis.text)]
    if required:
        fitting = [item for item in scored if all(c.search(item[0].text[item[1][0]:item[1][1]]) for c in required)]
        scored = fitting or scored
    scored.sort(key=lambda item: -item[2])
    if not scored:
        return []
    best = scored[0]  # a second quote only when it is nearly as good and from the same briefing
    return [best] + [item for item in scored[1:limit] if item[0] is best[0] and item[2] >= best[2] - 0.4]
