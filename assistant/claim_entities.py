"""Who or what a claim belongs to: a country, province, city, company or group named for this number.

'Vietnam (48,9), Malaysia (47,9)' ties each number to the name before its bracket; otherwise the entity is a
proper name between the previous number and this one — a word the document writes capitalised inside
sentences and never in lower case, joined with the capitalised words next to it ('Bandar Lampung', 'DKI
Jakarta', 'West Java'). Not an entity: an institution, office or document ('Bank Indonesia', 'Kementerian
Keuangan', 'Presiden Joko Widodo', 'Perpres 75/2023', '… Index 2021'), a source or author ('menurut …',
'disusun Google, Temasek, dan …'), a speaker ('… said', 'Dwi juga mengingatkan'), a term the document
defines with an acronym and its variants ('KUR Mikro'), and the document's own scope — its most frequent
name when it recurs in many sentences (Indonesia in a national briefing).
"""

from __future__ import annotations

import re
from collections import Counter

from assistant.claim_phrases import BOUNDARY_WORDS, CONNECTORS, LINK_WORDS, MONTH_WORDS, TIME_NOUNS, Phrase, Token
from assistant.periods import WEEKDAYS

INSTITUTION_WORDS = frozenset("""bank badan kementerian kemenko kemenkeu kemenperin bidang menteri kepala presiden wakil deputi direktur ketua
gubernur dewan otoritas kantor lembaga perpres pp uu peraturan undang-undang laporan indeks survei asosiasi
ministry minister president governor deputy director chairman chief head authority agency office council
association institute index report survey regulation law statistics bursa exchange""".split())
_SOURCE_BEFORE = re.compile(r"(menurut|according to|kata|said|ujar|by|oleh|disusun|dirilis|compiled by|released by)"
                            r"\s*$", re.I)
_AGENT = re.compile(r"\b(disusun|dirilis|diterbitkan|oleh|compiled by|published by|released by|according to|"
                    r"menurut)\b", re.I)
SPEECH_AFTER = re.compile(r"^\s*(?:(?:juga|pun|also|again|then)\s+)?(said|says|told|expects?|expected|linked|"
                          r"credited|added|noted|menilai|mengatakan|menyatakan|menyampaikan|menjelaskan|mengakui|"
                          r"memperkirakan|mengingatkan|menekankan|menyebut|kata|ujar|berharap)\b", re.I)


def document_names(text: str, sentences: list[tuple[int, int]], defined: frozenset[str]) -> frozenset[str]:
    """Words a document uses as names: capitalised after a sentence's first word, never written in lower
    case, not months, not words of a term it defines with an acronym ('Badan Pusat Statistik (BPS)')."""
    lowercase = set(re.findall(r"(?<![\w-])[a-z][\w'-]*", text))
    names: set[str] = set()
    for start, end in sentences:
        sentence = text[start:end]
        if sentence.lstrip().startswith("#"):
            continue  # a heading capitalises its words
        for match in re.finditer(r"(?<![\w-])([A-Z][a-z][\w'-]*)", sentence):
            if match.start() == 0 or re.search(r"(?:^|[.:!?])[\s*\-#>\"'“]*$", sentence[:match.start()]):
                continue
            lowered = match.group(1).lower()
            if lowered not in lowercase and lowered not in MONTH_WORDS and lowered not in defined:
                names.add(lowered)
    return frozenset(names)


def scope_names(text: str, sentences: list[tuple[int, int]], names: frozenset[str]) -> frozenset[str]:
    """The document's own scope: its most frequent name, when it appears in at least four sentences."""
    counts: Counter[str] = Counter()
    for start, end in sentences:
        counts.update({w.lower() for w in re.findall(r"[A-Z][\w-]+", text[start:end]) if w.lower() in names})
    if not counts:
        return frozenset()
    name, count = counts.most_common(1)[0]
    return frozenset({name}) if count >= 4 else frozenset()


def defined_acronyms(text: str) -> frozenset[str]:
    """Acronyms the document defines in brackets: '(KUR)', '(BPS)'."""
    return frozenset(m.lower() for m in re.findall(r"\(([A-Z][A-Za-z&]{1,9})\)", text))


def _name_runs(sentence: str, toks: list[Token], names: frozenset[str], first: int, last: int) -> list[list[Token]]:
    """Runs of capitalised tokens outside brackets that contain at least one of the document's names."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    depth = 0
    for token in toks[first:last]:
        depth += token.text == "("
        depth -= token.text == ")"
        capital = depth == 0 and token.is_word and token.text[0].isupper() and token.text.lower() not in MONTH_WORDS
        if capital:
            current.append(token)
            continue
        if current:
            runs.append(current)
        current = []
    if current:
        runs.append(current)
    return [run for run in runs if any(not t.text.isupper() and t.text.lower() in names for t in run)]


def listed_entity(sentence: str, toks: list[Token], index: int) -> tuple[str | None, int | None]:
    """'Vietnam (48,9), Malaysia (47,9)': a number in brackets right after a name belongs to that name.
    Returns the name and the index of the token before it (the series is looked for left of it)."""
    if index < 2 or toks[index - 1].text != "(" or index + 1 >= len(toks) or toks[index + 1].text != ")":
        return None, None
    position = index - 2
    found: list[Token] = []
    while position >= 0 and toks[position].is_word and toks[position].text[0].isupper() and len(found) < 4:
        found.insert(0, toks[position])
        position -= 1
    if not found:
        return None, None
    return sentence[found[0].start:found[-1].end], index - 1 - len(found)


_PLACE_AFTER = frozenset("in di at".split())
_TIME_NOUNS = TIME_NOUNS | frozenset("semester pekan minggu half week".split())  # 'di Tahun 2022' is no place
# '… Rp20.9 trillion in Jakarta on Monday', '… di Jakarta, Senin (8/1)': where it was announced, not whose it is
_EVENT_AFTER = re.compile(r"^\s*(?:,\s*)?(?:on\s+|pada\s+)?(?:" + WEEKDAYS + r")\b", re.I)


def _entity_after(sentence: str, toks: list[Token], index: int, names: frozenset[str], scope: frozenset[str],
                  acronyms: frozenset[str]) -> str | None:
    """'24.5 percent in West Java, 20.9 percent in Central Java', '20,2 persen di Jawa Barat': a place named right
    after the number (and its unit) with 'in' / 'di' / 'at' is the number's."""
    position = index + 1
    while position < len(toks) and toks[position].unit:
        position += 1
    if position + 1 >= len(toks) or toks[position].lower not in _PLACE_AFTER:
        return None
    run: list[Token] = []
    for token in toks[position + 1:position + 5]:
        if not (token.is_word and token.text[0].isupper() and token.lower not in MONTH_WORDS):
            break
        run.append(token)
    words = [t.lower.removesuffix("'s") for t in run]
    if not run or not any(not t.text.isupper() and t.lower in names for t in run) \
            or any(w in INSTITUTION_WORDS or w in _TIME_NOUNS for w in words) or words[0] in acronyms \
            or all(w in scope for w in words if not w.isupper()) or _EVENT_AFTER.match(sentence[run[-1].end:]):
        return None
    return sentence[run[0].start:run[-1].end]


def named_entity(sentence: str, toks: list[Token], index: int, names: frozenset[str], scope: frozenset[str],
                 acronyms: frozenset[str]) -> str | None:
    """The place named right after the number ('… persen di Jawa Barat'), else the last proper name between the
    previous number (or the sentence start) and this one that is not an institution, a source, a speaker, a
    defined term or the document's scope."""
    after = _entity_after(sentence, toks, index, names, scope, acronyms)
    if after is not None:
        return after
    first = index - 1
    while first >= 0 and not toks[first].text.startswith("§") and toks[first].text not in (";",):
        first -= 1
    agents = [m.end() for m in _AGENT.finditer(sentence)]
    kept: list[Phrase] = []
    for run in _name_runs(sentence, toks, names, first + 1, index):
        while run and (run[0].lower in BOUNDARY_WORDS or run[0].lower in LINK_WORDS or run[0].lower in CONNECTORS):
            run = run[1:]  # 'Menurut Jokowi' after a missed sentence break: the word is not part of the name
        if not run:
            continue
        start, end = run[0].start, run[-1].end
        words = [t.text.lower().removesuffix("'s") for t in run]
        stretch = re.search(r"(?:[A-Z][\w&/-]*,?\s+(?:(?:dan|and)\s+)?)*$", sentence[:start])
        if stretch and any(w.lower().strip(",") in INSTITUTION_WORDS for w in stretch.group(0).split()):
            continue  # 'Deputi Bidang Koordinasi Ekonomi Digital, Ketenagakerjaan, dan UMKM …': part of a title
        before = sentence[max(0, start - 15):start]
        if any(w in INSTITUTION_WORDS for w in words) or _SOURCE_BEFORE.search(before) \
                or SPEECH_AFTER.match(sentence[end:end + 30]) or (words[0] in acronyms) \
                or all(w in scope for w in words if not w.isupper()) \
                or any(a <= start and not re.search(r"[.;]|,\s*(?!dan\b|and\b)[a-z]", sentence[a:start])
                       for a in agents):
            continue
        kept.append(Phrase(sentence[start:end], start, end))
    return kept[-1].text if kept else None
