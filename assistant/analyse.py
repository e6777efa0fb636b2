"""Question analysis: language, numeric or not, expected unit, period, role and arithmetic intent.

Follow-ups ("Dan per Juni?", "And the target?") are resolved against the previous user turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from assistant.lexical import _stopwords, stem
from assistant.lexicon import QUALIFIERS, QUESTION_WORDS, TOPIC_WORDS, equivalents
from assistant.periods import MONTHS, Period, TimeMention, find_time_mentions

_ID_MARKERS = set("""berapa apa siapa mengapa kenapa bagaimana kapan yang dan di ke dari pada sudah telah untuk
    dengan ada lagi tersebut ini itu jumlah banyak tahun bulan per sejak hingga sampai menurut apakah adalah
    dalam oleh atau juga saat kini sekarang target capai tercapai persen""".split())
_EN_MARKERS = set("""the how what who why when which many much is are was were of to in by did does do has have
    had been since until from and or for with as this that there their its according percent percentage share
    target reach reached currently now more than""".split())

_NUMERIC = re.compile(
    r"\b(berapa|berapakah|jumlah|how many|how much|worth|at what level|what level|how high|how low|how fast|"
    r"how quickly|how strong|seberapa|what (?:is|was|were|are) the (?:number|total|amount|share|"
    r"percentage|target|value|rate|size|gap|difference|increase)|what percentage|what share|what proportion|"
    r"what fraction|by how much|what number|how large|how big|persentase|proporsi)\b", re.I)
_NON_NUMERIC = re.compile(
    r"\b(apa alasan|alasan apa|what (?:is|was|were) the reasons?|for what reason|siapa|mengapa|kenapa|bagaimana(?! dengan)|apa saja|apa nama|apa yang|di mana|kapan|who|whom|why|"
    r"which (?!month|year|quarter)|where|when|what (?:does|did|do) (?:he|she|they|the government|the ministry|the official)|what (?:sectors|parties|partners|event|name|kind|type)|how does|how do|"
    r"how did|how will|what hope|what does|(?:siapa|mengapa|kenapa|bagaimana|di mana|kapan)kah)\b", re.I)  # '-kah': the
# interrogative particle ('kapankah', 'siapakah')

_OPERATIONS: list[tuple[str, re.Pattern]] = [
    ("share_of", re.compile(
        r"(berapa (?:persen|persentase|bagian)\b.*\b(?:dari|terhadap) (?:target|sasaran)|persentase (?:capaian|"
        r"pencapaian|realisasi)|(?:percentage|share|proportion|fraction|percent|how much) of (?:the |its |this )?"
        r"(?:[\d.,]+ (?:million|juta|billion|miliar) )?(?:\d{4} )?(?:target|goal)|"
        r"persen dari (?:target|sasaran)|"
        r"progress (?:toward|towards|to) the (?:target|goal)|sudah berapa persen|capaian.*persen|"
        r"berapa persen (?:target|sasaran))", re.I)),
    ("pace", re.compile(
        r"(per bulan|setiap bulan|tiap bulan|sebulan|per month|each month|every month|a month|monthly|"
        r"per tahun|setiap tahun|tiap tahun|per year|each year|a year|annual pace|rata-rata|on average|average)",
        re.I)),
    ("growth_rate", re.compile(
        r"(berapa persen (?:pertumbuhan|kenaikan|peningkatan|penambahan)|tumbuh berapa persen|naik berapa persen|"
        r"bertambah berapa persen|meningkat berapa persen|pertumbuhan(?:nya)? (?:dalam )?persen|"
        r"growth rate|percent(?:age)? (?:growth|increase|rise)|by what percent(?:age)?|grow by how many percent|"
        r"how many percent|rate of (?:growth|increase)|(?:grew|rose|increased|grow|rise|increase) by what)", re.I)),
    ("ratio", re.compile(r"(berapa kali lipat|kali lipat|how many times|what multiple|ratio of)", re.I)),
    ("difference", re.compile(
        r"(berapa lagi|sisa|kekurangan|kurang berapa|selisih|perbedaan|masih (?:perlu|harus|dibutuhkan)|"
        r"how many more|how much more|how much (?:higher|lower|bigger|smaller|larger|less)|how far|seberapa jauh|"
        r"(?:points?|poin|persen|percent) (?:below|above|under|over|lower|higher|di bawah|di atas)|exceed\w*|"
        r"melebihi|outstrip\w*|surpass\w*|widen\w*|narrow\w*|melebar|menyempit|lebih (?:tinggi|rendah|"
        r"besar|kecil) berapa|berapa lebih (?:tinggi|rendah|besar|kecil)|gap|shortfall|remaining|remain|left to|still (?:need|needed|required|"
        r"have to|to go)|difference|short of|to go\b|yet to|bertambah berapa|berapa (?:penambahan|pertambahan|"
        r"kenaikan|peningkatan)|naik berapa|meningkat berapa|how much did .* (?:grow|increase|rise)|"
        r"how many .* (?:added|were added|joined)|increase (?:from|between)|(?:grew|rose|increased) (?:from|"
        r"between)|from .* to .*\b(?:increase|growth|rise)|dari .* (?:ke|hingga|menjadi) .*)", re.I)),
]

_ROLE_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("remaining", re.compile(r"\b(harus|perlu|tugas|task|must|needs? to|needed|still|masih|remaining|sisa|belum)\b",
                             re.I)),
    ("share", re.compile(r"\b(persen dari|persentase dari|berapa persen|what percentage|porsi|proporsi|pangsa|share of|percentage of|"
                         r"percent of|proportion of|fraction of|andil|kontribusi|sumbangan|menyumbang|contribut\w*)\b", re.I)),
    ("target", re.compile(r"\b(target\w*|sasaran|ditargetkan|menargetkan|goal|aim|aims|objective|ingin dicapai)\b",
                          re.I)),
    ("increase", re.compile(r"\b(go up|went up|gone up|climb\w*|pertumbuhan|tumbuh|bertambah|penambahan|pertambahan|tambahan|kenaikan|naik|meningkat|peningkatan|"
                            r"increase|increased|added|grew|growth|rise|rose|more since)\b", re.I)),
    ("actual", re.compile(r"\b(sudah|telah|tercatat|realisasi|already|have|has|had|so far|achieved|reached|"
                          r"went|gone|onboarded|adopted|joined|are now|capai)\b", re.I)),
]

_FOLLOW_UP = re.compile(
    r"^\s*(dan|lalu|kemudian|terus|bagaimana dengan|kalau|jika|and|what about|how about|and what about|"
    r"and for|and in|then|same for|dan untuk|untuk)\b", re.I)
_PERCENT_WORDS = re.compile(r"\b(persen|persentase|percent|percentage|proporsi|proportion|share\b|porsi|pangsa|slice|"
                            r"portion|account(?:ed)? for|%)",
                            re.I)
_CURRENCY_WORDS = re.compile(r"\b(rupiah|rp|idr|dolar|dollars?|us\$|usd|anggaran|budget|nilai|value|worth|"
                             r"biaya|cost|dana|fund|funds|funding|financing|pembiayaan|harga|price|prices|tarif|tariff|spend|spent|"
                             r"spending|pengeluaran|revenue|receipts|penerimaan|devisa|surplus|deficit|defisit|trade balance|kredit|"
                             r"credit|pinjaman|loans?|lending|outstanding|"
                             r"neraca perdagangan|neraca dagang)\b", re.I)
_QUANTITY_NOUNS = re.compile(
    r"\b(rate|inflation|price|prices|value|number|total|amount|target|surplus|deficit|growth|share|percentage|"
    r"level|cost|worth|production|output|volume|figure|index|count|reserve|reserves|stock|quota|budget|goal|balance|"
    r"realisation|realization|realisasi|reading|pmi|investment|investasi|ratio|rasio|"
    r"revenue|exports|imports|sales|size|gap|difference|increase|decrease|inflasi|harga|nilai|jumlah|"
    r"surplus|defisit|pertumbuhan|porsi|tingkat|produksi|volume|kuota|stok|cadangan|anggaran|ekspor|impor|"
    r"penjualan|selisih|kenaikan|penurunan)\b", re.I)
_COUNT_PHRASE = re.compile(
    r"\b(?:berapa(?:kah)?\s+(?:jumlah\s+|banyak\s+|total\s+)?|jumlah\s+|how many\s+|number of\s+|"
    r"total (?:number )?of\s+)(?P<noun>[^\d?.;]{2,60})", re.I)
_CURRENT_WORDS = re.compile(r"\b(saat ini|sekarang|kini|terkini|terbaru|currently|now|latest|to date|so far|"
                            r"as of today|at present|most recent)\b", re.I)


@dataclass(frozen=True)
class QuestionAnalysis:
    question: str
    text: str  # the question as understood (follow-ups merged with the previous question)
    language: str
    numeric: bool
    expected_unit: str | None  # "%", "currency", "count" or None
    count_terms: frozenset[str] = frozenset()  # stems naming what is counted ("usaha", "umkm")
    periods: tuple[Period, ...] = ()
    wants_current: bool = False
    role: str | None = None
    operation: str | None = None  # difference | share_of | growth_rate | pace | ratio
    terms: frozenset[str] = frozenset()  # content stems (English words with their Indonesian stems)
    entities: tuple[str, ...] = ()  # acronyms and proper nouns as written
    topic_terms: tuple[frozenset[str], ...] = ()  # topic nouns, each with its equivalents (one must be in the evidence)
    pace_unit: str = "month"
    wants_total: bool = False  # "how many UMKM are there in total": a population, not a subset
    bound: str | None = None  # "upper" / "lower": one end of a stated range ("batas atas", "upper bound")
    falling: bool = False  # "by how much did it fall": the size of a decrease, stated as positive
    whole_period: bool = False  # "the whole of 2024", "sepanjang 2023": a part of the year will not do
    identifiers: tuple[str, ...] = ()  # numbers naming things: "Zona 3" → "3"
    qualifiers: tuple[str, ...] = ()  # keys of lexicon.QUALIFIERS the question names
    currency: str | None = None  # "IDR" / "USD" when the question names the currency
    follow_up: bool = False
    asks_words: bool = False  # an interrogative that wants words ("siapa", "kapan", "why"), not "berapa"


def detect_language(text: str) -> str:
    words = re.findall(r"[a-zA-Z]+", text.lower())
    indonesian = sum(w in _ID_MARKERS for w in words) + sum(w.endswith(("nya", "kah")) for w in words)
    english = sum(w in _EN_MARKERS for w in words)
    return "en" if english > indonesian else "id"


def _terms(text: str, entities: tuple[str, ...] = ()) -> tuple[frozenset[str], tuple[frozenset[str], ...]]:
    """Content stems of the question (with their translations both ways) and its topic nouns; the
    words of a name ("Bank Indonesia") are terms but not topics."""
    terms: set[str] = set()
    topics: list[frozenset[str]] = []
    named = {w.lower() for entity in entities for w in entity.split()}
    raws = re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", text.lower())
    raws += [part for raw in raws if "-" in raw for part in raw.split("-") if len(part) > 2]  # "debt-to-gdp"
    for raw in raws:
        if raw in QUESTION_WORDS or raw in MONTHS:
            continue
        words = equivalents(raw) | equivalents(stem(raw))
        for _ in range(2):  # panen → harvest → produksi → production
            words = words | {e for w in words for e in equivalents(w)}
        stems = {s for w in words for s in ([w, stem(w)] if " " not in w else [w])} - {""}
        stems -= _stopwords()
        if not stems:
            continue
        if (words & TOPIC_WORDS or stems & TOPIC_WORDS) and raw not in named:
            group = frozenset(stems)
            if group not in topics:
                topics.append(group)
        terms |= stems
    return frozenset(terms - QUESTION_WORDS), tuple(topics)


def _entities(question: str) -> tuple[str, ...]:
    """Acronyms and capitalised names that are not the first word, question words or months."""
    found = []
    for match in re.finditer(r"\b[A-Z][A-Za-z0-9&\-]*(?:\s+[A-Z][A-Za-z0-9&\-]*)*", question):
        words = [w for w in match.group(0).split() if w.lower() not in QUESTION_WORDS
                 and w.lower().rstrip(".") not in MONTHS and w.lower() not in _ID_MARKERS | _EN_MARKERS]
        if match.start() == 0 and words and words[0] == match.group(0).split()[0]:
            words = words[1:] if not (len(words[0]) > 1 and words[0].isupper()) else words
        words = [w for w in words if len(w) > 1 and not re.fullmatch(r"[IVX]+|[QH][1-4]|\d+", w)
                 and not all(part.lower() in MONTHS for part in re.split(r"[-–]", w))]
        if words:
            found.append(" ".join(words))
    return tuple(found)


_COUNT_STOP = frozenset("""yang that which who whom have has had are were did do does is was will would can could
    must should sudah telah akan di in of to by for from per at on with since sejak pada dari untuk dengan oleh
    dalam ke""".split())


def _count_terms(question: str) -> frozenset[str]:
    """Stems (with translations) of what a 'how many X' / 'berapa X' question counts."""
    match = _COUNT_PHRASE.search(question)
    if not match:
        return frozenset()
    words: list[str] = []
    first = re.match(r"\s*([^\W\d_]+)", match.group("noun"))
    if first and (_QUANTITY_NOUNS.match(first.group(1)) or _PERCENT_WORDS.match(first.group(1))
                  or first.group(1).lower() in ("lama", "long", "kali", "times", "sasaran", "goal", "points", "point",
                                                "poin", "basis", "percentage", "level", "indeks", "index", "tingkat",
                                                "angka", "nilai", "skor", "score")):
        return frozenset()  # "berapa persen…", "berapa target…": not a count of things
    for word in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", match.group("noun").lower()):
        if word in _COUNT_STOP:
            break
        if word in (",", "and", "dan", "or", "atau", "more", "lagi", "the", "juta", "million", "ribu", "thousand"):
            continue
        words.append(word)
        if len(words) == 4:
            break
    stems: set[str] = set()
    for word in words:
        stems |= equivalents(word) | {word, stem(word)}  # translations unstemmed: "perusahaan" is not "usaha"
    return frozenset(s for s in stems if s)


def _matches_words(pattern: re.Pattern, text: str) -> bool:
    """A match that starts and ends on word boundaries ('gap' is not in 'pengapalan'; 'need' may grow
    into 'needed': the regex backtracks into the longer alternative)."""
    return _whole_words(pattern).search(text) is not None


@lru_cache(maxsize=64)
def _whole_words(pattern: re.Pattern) -> re.Pattern:
    return re.compile(r"(?<!\w)(?:" + pattern.pattern + r")(?!\w)", pattern.flags)


_CHANGE_WORDS = re.compile(
    r"\b(bertambah|tambah\w*|naik|turun|kenaikan|penurunan|pertambahan|penambahan|tumbuh|pertumbuhan|berubah|"
    r"perubahan|selisih|increase\w*|decrease\w*|rise|rose|risen|fall|fell|fallen|drop\w*|grow|grew|grown|growth|"
    r"change\w*|more|fewer|went|gone|joined|added|gain\w*|lose|lost|onboard\w*|widen\w*|narrow\w*|melebar|"
    r"menyempit|"
    r"masuk|beralih)\b", re.I)
_COUNT_TRIGGER = re.compile(r"\b(how many|berapa banyak|number of|berapa jumlah|jumlah total|jumlah)\s+", re.I)


def _counts_things(text: str) -> bool:
    """'How many UMKM…', 'berapa jumlah UMKM…' (but not 'how many percent', 'jumlah nilai ekspor')."""
    match = _COUNT_TRIGGER.search(text)
    if not match:
        return False
    rest = re.sub(r"^(total|jumlah|the|of)\s+", "", text[match.end():], flags=re.I)[:25]
    return not _QUANTITY_NOUNS.search(rest) and not _PERCENT_WORDS.search(rest)


def analyse(question: str, history: list[dict] | None = None) -> QuestionAnalysis:
    """What the question asks; `history` is the chat so far in Gradio messages format."""
    text = question.strip()
    previous = _previous_question(history)
    analysis = _analyse_text(question, text)
    if previous and _is_follow_up(analysis, text):
        base = _analyse_text(previous, previous)
        years = [p.end.year for p in base.periods if p.end is not None]
        if years and not analysis.periods:
            # "Dan per Juni?" after a question about March 2023: June of that year
            analysis = _analyse_text(question, text, published=date(years[-1], 12, 31))
        merged_text = f"{previous} {text}"
        periods = analysis.periods or (() if (analysis.role and analysis.role != base.role)
                                       or analysis.wants_current else base.periods)
        analysis = replace(
            base,
            question=question,
            text=merged_text,
            language=analysis.language if len(re.findall(r"\w+", text)) >= 3 else base.language,
            periods=periods,
            wants_current=analysis.wants_current or (base.wants_current and not analysis.periods),
            role=analysis.role or base.role,
            operation=analysis.operation or base.operation,
            terms=base.terms | analysis.terms,
            topic_terms=base.topic_terms + tuple(t for t in analysis.topic_terms if t not in base.topic_terms),
            entities=base.entities + analysis.entities,
            follow_up=True,
        )
    return analysis


def _previous_question(history: list[dict] | None) -> str | None:
    for message in reversed(history or []):
        if isinstance(message, dict) and message.get("role") == "user" and str(message.get("content", "")).strip():
            return str(message["content"])
        if isinstance(message, (list, tuple)) and message and message[0]:
            return str(message[0])
    return None


def _is_follow_up(analysis: QuestionAnalysis, text: str) -> bool:
    content = [t for t in analysis.terms if t not in ("target", "sasar")]
    return bool(_FOLLOW_UP.match(text)) or (len(content) <= 1 and len(text.split()) <= 6)


# What names a source, not the figure asked: "menurut Survei Konsumen BI November 2023", "according to BI's October
# 2023 survey", "as cited in the November 21, 2023 auction release", "laporan edisi Oktober 2023". A source noun must
# stand before the period (after the cue) or just after it: "menurut lapangan usaha pada triwulan III 2023" is a
# breakdown, not a source.
_SOURCE_NOUN = r"(?:survei|survey|rilis|release|laporan|report|edisi|edition|publikasi|publication|bulletin|buletin|statement)"
_SOURCE_BEFORE = re.compile(r"\b(?:menurut|berdasarkan|mengutip|dikutip|according to|(?:as )?(?:cited|reported|stated|"
                            r"published) (?:in|by)|in|from|dalam)\b[^,;?]*\b" + _SOURCE_NOUN + r"\b[^,;?]*$|\b"
                            r"(?:edisi|rilis|terbitan|publikasi)\s*$", re.I)
_SOURCE_AFTER = re.compile(r"^\s*(?:(?!(?:menurut|berdasarkan|according|cited|pada|in|from|dalam)\b)[\w'’-]+\s+){0,3}"
                           + _SOURCE_NOUN + r"\b", re.I)  # "BI's October 2023 survey", "the 21 November 2023 release"


def _asked_mentions(text: str, mentions: list[TimeMention]) -> list[TimeMention]:
    """The time mentions that say when the figure asked is, when some other one names its source: "IKK pada
    November 2022 menurut Survei Konsumen BI November 2023" asks for November 2022. A source's period alone (the
    only period said) is kept: it is then the figure's too."""
    def names_source(index: int) -> bool:
        start = mentions[index - 1].end if index else 0
        before = text[max(start, mentions[index].start - 80):mentions[index].start]
        after = text[mentions[index].end:mentions[index].end + 40]
        return bool(_SOURCE_BEFORE.search(before) or _SOURCE_AFTER.match(after))
    source = [names_source(i) for i in range(len(mentions))]
    if all(source) or not any(source):
        return list(mentions)
    return [m for m, is_source in zip(mentions, source) if not is_source]


def _analyse_text(question: str, text: str, published: date | None = None) -> QuestionAnalysis:
    language = detect_language(text)
    operation = next((name for name, pattern in _OPERATIONS if _matches_words(pattern, text) and (
        name != "pace" or re.search(r"(bulan|month|tahun|year|annual)", text, re.I))), None)
    mentions = find_time_mentions(text, published, lenient=True)
    periods = tuple(m.period for m in _asked_mentions(text, mentions) if m.period.kind != "current")
    wants_current = bool(_CURRENT_WORDS.search(text))
    expected_unit_hint = "%" if _PERCENT_WORDS.search(text) and not re.search(
        r"(percentage points?|poin persentase)", text, re.I) else None
    if operation == "share_of" and re.search(r"\b(lebih (?:rendah|tinggi|besar|kecil)|dibanding\w*|compared|"
                                             r"lower than|higher than)\b", text, re.I):
        operation = "growth_rate"  # "berapa persen target … lebih rendah dibanding realisasi": a comparison
    if operation == "difference" and expected_unit_hint == "%" and re.search(
            r"\b(pertumbuhan|tumbuh|growth|grow|grew|naik|kenaikan|rise|rose|increase|meningkat|peningkatan)\b",
            text, re.I):
        operation = "growth_rate"  # "pertumbuhan … dalam persen": a rate, not a difference of counts
    if re.search(r"\b(combined|gabungan|digabung\w*|together|sum of|total of|secara total|in total|ditambah|plus)\b",
                 text, re.I) and operation is None:
        # "the combined value of exports to China and the United States"; a sum of two series the
        # engine cannot name ("pajak ditambah PNBP") is refused rather than answered with one of them
        operation = "sum"
    if re.search(r"(percentage points?|poin persentase|basis points?|basis poin)", text, re.I) and (
            operation in ("growth_rate", "difference") or re.search(r"\b(from|dari|between|antara)\b", text, re.I)):
        operation = "difference"
    if operation == "difference" and re.match(r"^dari .* (?:ke|hingga|menjadi) ", text, re.I) is None \
            and re.search(r"\bdari .* (?:ke|hingga|menjadi) ", text, re.I) and len(periods) < 2:
        operation = None if not re.search(r"(selisih|bertambah|naik|meningkat|berapa lagi|sisa)", text, re.I) \
            else operation
    role = next((name for name, pattern in _ROLE_PATTERNS if pattern.search(text)), None)
    numeric = bool(_NUMERIC.search(text)) or operation is not None or bool(_PERCENT_WORDS.search(text))
    if not numeric and re.match(r"^\s*(what|apa|which)\b", text, re.I) and _QUANTITY_NOUNS.search(text) \
            and (periods or re.search(r"\b(rate|inflation|price|value|target|goal|surplus|deficit|level|inflasi|balance|size|"
                                      r"index|reading|pmi|realisation|realization|ratio|rasio|"
                                      r"harga|nilai|target|tingkat)\b", text, re.I)):
        numeric = True
    asks_words = bool(_NON_NUMERIC.search(text)) and not re.search(r"\b(berapa|how many|how much)\b", text, re.I) \
        and operation is None
    if asks_words:
        numeric = False
    counts = _counts_things(text)
    if re.search(r"(percentage points?|poin persentase)", text, re.I):
        expected_unit = "pp"
    elif re.search(r"(basis points?|basis poin)", text, re.I) or re.search(r"\bbps\b", text):
        # lower case only: "BPS" is Statistics Indonesia (Badan Pusat Statistik), not basis points
        expected_unit = "bps"
    elif operation in ("share_of", "growth_rate") or _PERCENT_WORDS.search(text):
        expected_unit = "%"
    elif re.search(r"\b(rate|ratio|rasio|suku bunga|bi-rate|interest|pertumbuhan|growth|inflasi|inflation|how fast|"
                   r"seberapa cepat)\b", text, re.I) \
            and not re.search(r"\b(how many|berapa banyak|jumlah)\b", text, re.I) and not re.search(
            r"\b(exchange rate|kurs|nilai tukar|basis points?|basis poin|rupiah|against the|terhadap dolar)\b",
            text, re.I):
        expected_unit = "%"
    elif counts and re.search(r"\bhow many\b(?!\s+(?:rupiah|dollars?|us\$|rp)\b)", text, re.I):
        expected_unit = "count"  # "how many borrowers received loans": the thing counted, not the money named after it
    elif _CURRENCY_WORDS.search(text) and not re.search(r"\b(indeks|index|ipk|ihk|pmi)\b", text, re.I):
        expected_unit = "currency"
    elif counts:
        expected_unit = "count"
    else:
        expected_unit = None
    if operation in ("share_of", "growth_rate", "ratio"):
        expected_unit = "%" if operation != "ratio" else None
    if numeric and operation is None and (any(p.kind == "span" for p in periods) or (
            len([p for p in periods if p.kind != "year"]) >= 2)) and role != "share" and _CHANGE_WORDS.search(text):
        operation = "difference"  # "from March to June", "between June and now": a change
    entities = _entities(text)
    terms, topics = _terms(text, entities)
    pace_unit = "year" if re.search(r"(per tahun|setiap tahun|tiap tahun|per year|each year|a year|annual)",
                                    text, re.I) else "month"
    return QuestionAnalysis(
        question=question, text=text, language=language, numeric=numeric, asks_words=asks_words,
        expected_unit=expected_unit,
        count_terms=_count_terms(text), periods=periods, wants_current=wants_current, role=role,
        operation=operation, terms=terms, entities=entities, topic_terms=topics, pace_unit=pace_unit,
        qualifiers=tuple(key for key, forms in QUALIFIERS.items()
                         if not (operation == "pace" and key in ("month-on-month", "year-on-year")) and any(re.search(r"(?<![\w-])" + re.escape(f) + r"(?![\w-])", text, re.I) for f in forms)),
        currency=("IDR" if re.search(r"\b(rupiah|idr)\b|\brp\b", text, re.I) else
                  "USD" if re.search(r"\b(dollars?|dolar|usd)\b|us\$", text, re.I) else None),
        wants_total=bool(re.search(r"\b(jumlah total|total jumlah|seluruh|semua|keseluruhan|populasi|in total|"
                                   r"altogether|all the|population|how many .* (?:exist|are there))\b", text, re.I)),
        bound=("upper" if re.search(r"\b(upper (?:bound|limit|end)|top of|batas atas|ceiling of the range|maximum of "
                                    r"the range|highest end)\b", text, re.I) else
               "lower" if re.search(r"\b(lower (?:bound|limit|end)|bottom of|batas bawah|minimum of the range|"
                                    r"lowest end)\b", text, re.I) else None),
        falling=bool(re.search(r"\b(slow|slowed|slower|melambat|melemah|weaken\w*|fall|fell|fallen|drop|dropped|"
                               r"decline|declined|decrease|decreased|shrink|"
                               r"shrank|lower|below|turun|menurun|penurunan|berkurang|merosot|lebih rendah|"
                               r"di bawah)\b", text, re.I)),
        whole_period=bool(re.search(r"\b(whole|full[- ]year|entire|sepanjang|setahun|seluruh tahun|sepanjang tahun|"
                                    r"over the year|for the year)\b", text, re.I)),
        identifiers=tuple(m.group(1) for m in re.finditer(r"\b[A-Z][\w-]*\s+(\d{1,3})\b(?!\s*(?:%|persen|percent|"
                                                            r"juta|million|miliar|billion|ribu|thousand))", text)
                          if not 1900 <= int(m.group(1)) <= 2100),
    )
