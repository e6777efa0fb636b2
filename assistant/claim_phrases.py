"""Which phrase of a sentence a number is predicated of, and which named member it belongs to.

Works on the sentence's words with the figures and time expressions masked: from a number it steps left
over the words that link a subject to a number ("sebesar", "mencapai", "naik", "rose to", "stood at"),
then takes the noun phrase before them up to a clause boundary. A number with no phrase of its own
("…, naik dari 115,44", "to 32.21 million tonnes from 33.15 million") shares the previous number's.
Both languages are handled by their grammar words (predicates, prepositions, connectors), never by the
topic words of a document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words that link a subject to its number, or sit between them; skipped when looking for the subject.
LINK_WORDS = frozenset("""
than dibandingkan daripada ketimbang against
sebesar sebanyak senilai sejumlah mencapai capai tercatat mencatat mencatatkan membukukan berada di pada level
angka posisi menjadi ke naik turun tumbuh meningkat menurun bertambah berkurang melonjak anjlok merosot melemah
menguat terkontraksi melambat mengecil membesar menyusut sekitar hampir lebih kurang dari hanya baru masih
yakni yaitu ialah adalah sama dengan setara berjumlah ditetapkan ditargetkan diperkirakan diproyeksikan
tetap sebelumnya secara mengalami menyumbang memberi andil kembali dibandingkan dibanding terhadap atau
akan sudah telah pun juga sedikit jauh bisa dapat setelah sebelum per sepanjang selama sejak hingga sampai kepada
bagi yakni paling relatif akhir awal pertengahan end beginning early late mid on
of at to by from was were is are be been being stood reached reach reaches rose risen rise rises fell fallen
falls grew grown grows increased decreased declined dropped climbed jumped slipped eased edged up down
improved expanded contracted came in amounted totalled totaled hit posted recorded registered added contributed
accounted for about around nearly almost approximately some roughly over more than less only just a an the
level mark worth valued higher lower above below against after while remained remain stayed stay held steady
put had has have with its their again still also further versus vs compared during since until through
throughout grows eases rises falls climbs slips jumps hits reaches tops edges narrows widens shrinks expands
posts records came come comes continued continues namely bawah slip slips cut cuts hit set put led made took
saw went kept held brought met ease stay stays remains keeps kira-kira equal equivalent far well much
""".split())
# Words that end a subject phrase on its left.
BOUNDARY_WORDS = frozenset("""
bahwa yang ketika saat setelah sementara sedangkan namun tetapi tapi menurut kata ujar sehingga karena
berkat lewat melalui oleh sebaliknya meski meskipun walaupun adapun bila jika untuk disusul diikuti
that which who when while whereas but according said says after because as so thanks through via with
if although though however meanwhile
""".split())
CONNECTORS = frozenset("dengan demikian sementara itu adapun selain meanwhile however also and dan serta "
                       "then so thus the a an its their this these that those".split())
# 'lalu turun menjadi …', 'kemudian naik …': 'then' opening a clause names nothing ('bulan lalu' ends a phrase: kept)
OPENING_CONNECTORS = CONNECTORS | frozenset("lalu kemudian".split())
LIST_JOINS = frozenset("dan serta atau and or &".split())
PRONOUNS = frozenset("ini itu tersebut nya it this that these those they its their".split())

_QUALIFIER_PHRASE = re.compile(
    r"\b(?:year[- ]on[- ]year|month[- ](?:on|to)[- ]month|year[- ]to[- ]date|quarter[- ]on[- ]quarter|"
    r"secara (?:bulanan|tahunan|kuartalan|kumulatif)|from a year earlier|from the previous month|"
    r"dari bulan sebelumnya|dari tahun sebelumnya)\b|\((?:yoy|mom|qoq|ytd|y-o-y|m-o-m|month-to-month|"
    r"year-on-year|month-on-month|year-to-date)\)", re.I)
_TOKEN = re.compile(r"§\d+|⌚|[^\W_](?:[\w'’&./-]*[^\W_])?|[(),;:–—]|\.(?=[\s*])")
COMPARISON_WORDS = frozenset("than from dari dibanding dibandingkan daripada ketimbang against versus vs after "
                             "since sejak compared".split())
INNER_PREPOSITIONS = frozenset("of in to for on at per from untuk dari di ke kepada bagi atas".split())
# A comparison's term ('than a year earlier', 'daripada pertumbuhan 8,34%') is skipped when it names only a time
# or a change; otherwise it is a subject of its own ('against purchases from China of US$5,446.7 million').
_COMPARED_ONLY = frozenset("""bulan tahun periode kuartal triwulan month year period quarter earlier before previous
sebelumnya lalu ago setahun sebulan same sama level posisi increase decrease growth rise fall gain kenaikan penurunan
pertumbuhan peningkatan""".split())
VERB_LINKS = frozenset("""rose fell grew climbed jumped increased declined was were is are recorded posted had has have
registered reached naik turun tumbuh mencapai""".split())
# Nouns that name a quantity of whatever the subject of their verb is ('perdagangan nonmigas membukukan surplus').
GENERIC_OBJECTS = frozenset("""surplus defisit deficit inflasi inflation deflasi deflation laba profit rugi loss
kenaikan increase growth pertumbuhan penurunan decline andil kontribusi contribution""".split())
TRANSITIVE = frozenset("had has posted recorded generated ran booked saw registered mencatat mencatatkan membukukan "
                       "menyalurkan".split())
COMPARATIVE_MARKERS = frozenset("lebih paling more most less a an".split())
_TIME_PREPOSITIONS = frozenset("untuk for pada in on per sepanjang selama during hingga sampai until through".split())
TIME_NOUNS = frozenset("bulan tahun periode kuartal triwulan month year period quarter".split())
_VERB_EN = re.compile(r"^[a-z]{3,}ed$")
_VERB_ID = re.compile(r"^(?:me[mn]?|meng|meny|ber|ter)[a-z]{3,}$|^di[a-z]{3,}(?:kan|i)$")
_NOT_VERBS = frozenset("menengah bergejolak terbesar tertinggi terendah terakhir terbaru terkecil teratas "
                       "terbawah tertentu termasuk terhadap bersih seed need speed red based limited "
                       "united hundred".split())
QUALIFIER_WORDS = frozenset("bulanan tahunan kuartalan yoy mom qoq ytd y-o-y m-o-m month-on-month year-on-year".split())
MONTH_WORDS = frozenset("""senin selasa rabu kamis jumat sabtu minggu monday tuesday wednesday thursday friday
saturday sunday januari februari maret april mei juni juli agustus september oktober november desember
january february march may june july august october december""".split())


@dataclass(frozen=True)
class Token:
    text: str
    start: int  # in the sentence
    end: int
    unit: bool = False  # the counted noun right after a number ('32,2 juta ton', '4,4 juta debitur')
    verb: bool = False

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum() and not self.text.startswith("§")


def tokens(sentence: str, figure_spans: list[tuple[int, int]], time_spans: list[tuple[int, int]],
           unit_words: list[frozenset[str]] | None = None, language: str = "id") -> list[Token]:
    """The sentence's tokens, each figure one token '§i' and each time expression one token '⌚'; the words
    naming a figure's unit right after it (`unit_words[i]`) are flagged `unit`."""
    masked = list(sentence)
    marks: list[tuple[int, int, str]] = [(s, e, f"§{i}") for i, (s, e) in enumerate(figure_spans)]
    marks += [(s, e, "⌚") for s, e in time_spans if not any(fs < e and s < fe for fs, fe in figure_spans)]
    marks += [(m.start(), m.end(), "~") for m in _QUALIFIER_PHRASE.finditer(sentence)
              if not any(s < m.end() and m.start() < e for s, e, _ in marks)]
    found: list[Token] = []
    covered = [False] * len(sentence)
    for start, end, mark in marks:
        found.append(Token(mark, start, end))
        for index in range(start, min(end, len(sentence))):
            covered[index] = True
            masked[index] = " "
    for match in _TOKEN.finditer("".join(masked)):
        if not covered[match.start()]:
            word = match.group()
            found.append(Token(word, match.start(), match.end(), verb=is_verb(word, language)))
    found.sort(key=lambda t: t.start)
    for index, token in enumerate(found):  # 'Administered prices rose', 'the adjusted figure': a participle
        if token.verb and language == "en" and index + 1 < len(found) and found[index + 1].is_word \
                and not found[index + 1].verb and found[index + 1].lower not in LINK_WORDS \
                and (not any(t.is_word for t in found[:index]) or found[index - 1].lower in ("the", "a", "an")):
            found[index] = Token(token.text, token.start, token.end)
    if unit_words:
        for index, token in enumerate(found):
            if token.text.startswith("§"):
                words = unit_words[int(token.text[1:])]
                follow = index + 1
                while follow < len(found) and found[follow].is_word and found[follow].lower in words:
                    found[follow] = Token(found[follow].text, found[follow].start, found[follow].end, unit=True,
                                          verb=found[follow].verb)
                    follow += 1
    return found


def is_verb(word: str, language: str = "id") -> bool:
    """A verb by its form: English '-ed', Indonesian me-/ber-/ter- or '-kan' (not adjectives like 'terbesar')."""
    lowered = word.lower()
    if lowered in _NOT_VERBS or word.isupper():
        return False
    return bool((_VERB_EN if language == "en" else _VERB_ID).match(lowered))


def _is_content(token: Token) -> bool:
    return token.is_word and not token.unit and token.lower not in LINK_WORDS and token.lower not in BOUNDARY_WORDS \
        and token.lower not in CONNECTORS and not token.verb


@dataclass(frozen=True)
class Phrase:
    text: str
    start: int  # in the sentence
    end: int


def subject_phrase(sentence: str, toks: list[Token], index: int) -> Phrase | None:
    """The noun phrase the figure token at `index` is predicated of, or None when the words between it and
    the previous figure name nothing (the number shares the previous one's phrase)."""
    if _shares_subject(toks, index):
        return None
    position = index - 1
    relative_end: int | None = None  # 'Kredit … (KUR) yang tersalurkan … mencapai N': the clause after 'yang'
    while True:
        position, relative_end = _skip_links(toks, position, relative_end)
        if position < 0 or toks[position].text.startswith("§"):
            return None
        found = _noun_phrase(toks, position)
        if found is None:
            return None
        first, last = found
        before = toks[first - 1] if first > 0 else None
        if before is not None and before.lower in ("menurut",) or (
                first > 1 and toks[first - 2].lower == "according" and before.lower == "to"):
            position = first - 3  # 'Menurut Jokowi, 55% investor saham …': the source, not the subject
            continue
        if before is not None and (before.text.startswith("§") or before.unit):
            return None  # '5.378 juta standar kaki kubik per hari, naik dari 5.347': the words name the number before
        article = first - 1
        while article >= 0 and toks[article].lower in ("a", "an", "the", "its", "their"):
            article -= 1
        if article >= 0 and toks[article].lower in COMPARISON_WORDS and all(
                t.lower in _COMPARED_ONLY or not _is_content(t) for t in toks[first:last + 1]):
            first = article + 1
            position = first - 2  # 'lebih tinggi dari 2,28 persen' / 'than a year earlier': a comparison's term
            continue
        if before is not None and before.lower in ("di", "in", "at") and all(t.text[:1].isupper() for t in toks[first:last + 1]):
            position = first - 2  # 'terjadi di Gorontalo, yakni 1,00 persen': the place is the entity
            continue
        if toks[first].lower.endswith("ing") and toks[first].text.islower() and first > 0 and toks[first - 1].text == ",":
            position = first - 2  # 'exports …, counting both CPO and PKO, fell 2.38%': an inserted participle
            continue
        if toks[first].lower in ("a", "an") and before is not None and (before.verb or before.lower in VERB_LINKS
                                                                        or before.lower.endswith("ing")):
            position = first - 1  # 'rose a more modest 5.68%', 'growing a quicker 9%': a complement of the verb
            continue
        break
    words = toks[first:last + 1]
    while words and ((not words[0].is_word and words[0].text != "(") or words[0].lower in OPENING_CONNECTORS
                     or words[0].lower in LINK_WORDS):
        words = words[1:]
    while words and (words[-1].lower in CONNECTORS or words[-1].lower in LINK_WORDS or not words[-1].is_word
                     and words[-1].text != ")"):
        words = words[:-1]
    if len(words) >= 2 and words[-1].lower in PRONOUNS and words[-2].lower in TIME_NOUNS:
        words = words[:-2]  # 'IHK bulan itu'
    if not any(_is_content(w) for w in words):
        return None
    start, stop = words[0].start, words[-1].end
    verb = first - 1
    while verb >= 0 and toks[verb].lower in ("a", "an", "the"):
        verb -= 1
    if verb > 0 and (toks[verb].verb or toks[verb].lower in TRANSITIVE) and len(words) <= 4 \
            and _is_content(toks[verb - 1]) and words[-1].lower in GENERIC_OBJECTS:
        subject = _noun_phrase(toks, verb - 1)
        if subject is not None:
            start = toks[subject[0]].start  # 'perdagangan nonmigas membukukan surplus', 'Oil and gas trade ran a deficit'
    if relative_end is not None and relative_end > stop:
        stop = relative_end
    return Phrase(re.sub(r"\s+", " ", sentence[start:stop]).strip(" ,"), start, stop)


def _shares_subject(toks: list[Token], index: int) -> bool:
    """'… accounted for Rp2 trillion, or 5% of the total, and was up 6%': a second predicate after 'and' with
    no subject of its own is the sentence subject's (the number shares the previous one's phrase)."""
    position, verb = index - 1, False
    while position > 0 and toks[position].is_word and not _is_content(toks[position]) \
            and toks[position].lower not in LIST_JOINS:
        verb = verb or toks[position].verb or toks[position].lower in VERB_LINKS
        position -= 1
    return verb and toks[position].lower in ("and", "dan", "serta") and toks[position - 1].text == ","


def _skip_links(toks: list[Token], position: int, relative_end: int | None) -> tuple[int, int | None]:
    """Step left over link words, adverbs, time expressions, brackets and an apposition's comma."""
    seen_word = False
    if position >= 0 and toks[position].lower in ("rata-rata", "average"):
        position -= 1  # 'Salur gas 2023 rata-rata 5.378': an adverb here
    while position >= 0:
        token = toks[position]
        lower = token.lower
        if token.text.startswith("§"):
            return position, relative_end
        if lower == "yang" and position > 0 and toks[position - 1].is_word:
            if relative_end is None and seen_word:
                relative_end = toks[position + 1].end if position + 1 < len(toks) else None
            position -= 1
            continue
        if token.text == "⌚" and position > 0 and toks[position - 1].lower in _TIME_PREPOSITIONS:
            position -= 2  # 'target … untuk 2024 sebesar', 'revenue for 2023 reached'
            continue
        if token.unit or token.text in ("⌚", "~", "(", ":") or (token.text == "," and not seen_word):
            position -= 1
            continue
        if lower == "than" and position > 0 and re.fullmatch(r"[a-z]{3,}er", toks[position - 1].lower):
            position -= 2  # 'remained smaller than the US$3.9 billion': the comparative is no subject
            continue
        if token.lower in QUALIFIER_WORDS and position > 0 and toks[position - 1].lower == "secara":
            position -= 2  # 'naik 4,89 persen secara bulanan dan 3,29 persen'
            continue
        if token.text == ")" and position > 1 and toks[position - 1].lower in QUALIFIER_WORDS \
                and toks[position - 2].text == "(":
            position -= 3  # '13,66 persen (yoy) dan …'
            continue
        if token.is_word and not seen_word and position > 1 and toks[position - 1].lower in ("a", "an") \
                and re.fullmatch(r"[a-z]{2,}(?:er|est)", lower) and (
                toks[position - 2].verb or toks[position - 2].lower in VERB_LINKS or toks[position - 2].lower.endswith("ing")):
            position -= 2  # 'growing a quicker 29.1%': an adjective of the number
            continue
        if token.is_word and not seen_word and position > 0 and toks[position - 1].lower in COMPARATIVE_MARKERS \
                and toks[position - 1].lower not in ("a", "an"):
            position -= 2  # 'lebih tinggi', 'paling rendah', 'more modest'
            continue
        if token.is_word and (not _is_content(token) or (lower.endswith("ly") and len(lower) > 4)) \
                and lower not in BOUNDARY_WORDS:
            seen_word = seen_word or token.verb
            position -= 1
            continue
        return position, relative_end
    return position, relative_end


def _noun_phrase(toks: list[Token], position: int) -> tuple[int, int] | None:
    """The span of tokens of the noun phrase ending at `position`, walking left to a boundary."""
    if toks[position].is_word and toks[position].lower in BOUNDARY_WORDS:
        return None
    end = position
    depth = 0
    while position >= 0:
        token = toks[position]
        lower = token.lower
        if token.text.startswith("§"):
            break
        if token.text == ")":
            depth += 1
        elif token.text == "(":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0:
            if token.unit or token.text.startswith("§") or token.text in ("⌚", "~", ";", ":", "–", "—", "."):
                break
            if token.text == ",":
                if not _list_comma(toks, position, end):
                    break
            elif lower in LIST_JOINS and (position == 0 or not (_is_content(toks[position - 1])
                                                                or toks[position - 1].text == ")" or (
                    toks[position - 1].text == "," and position > 1 and _is_content(toks[position - 2])))):
                break  # '19,82 persen (yoy) dan barang konsumsi': 'dan' after a number starts a new phrase
            elif lower == "yang" and position > 0 and toks[position - 1].is_word:
                pass  # 'harga yang diatur pemerintah'
            elif lower in ("the", "a", "an") and 0 < position < end and toks[position - 1].lower in INNER_PREPOSITIONS:
                pass  # 'Shipments to the European Union'
            elif lower in ("paling", "lebih", "most", "more") and position < end:
                pass  # 'kenaikan bulanan paling tinggi'
            elif lower in INNER_PREPOSITIONS and position > 0 and position < end and (
                    _is_content(toks[position - 1])
                    or (toks[position - 1].verb and position > 1 and toks[position - 2].lower == "yang")):
                pass  # 'exports of palm oil products', 'Lending to micro … enterprises'
            elif token.verb and position > 0 and toks[position - 1].lower == "yang":
                pass  # 'waktu yang dihabiskan untuk daring', 'KUR yang belum dilunasi'
            elif token.verb and position + 1 <= end and toks[position + 1].text == "(":
                pass  # 'rasio kredit bermasalah (NPL)': a defined term
            elif token.is_word and (lower in BOUNDARY_WORDS or token.verb or lower in LINK_WORDS):
                break
        position -= 1
    if position + 1 > end:
        return None
    return position + 1, end


def _list_comma(toks: list[Token], comma: int, end: int) -> bool:
    """'makanan, minuman, dan tembakau': a comma inside a list of nouns continues the phrase."""
    right = [t for t in toks[comma + 1:end + 1] if t.is_word]
    left = toks[comma - 1] if comma > 0 else None
    return any(t.lower in LIST_JOINS for t in right) and len(right) <= 6 and left is not None and left.is_word \
        and not left.verb and left.text[:1].islower() == right[0].text[:1].islower()


def phrase_after(sentence: str, toks: list[Token], index: int) -> Phrase | None:
    """The counted noun phrase right after a number: '90 kota', '4,4 juta debitur', '79 (of the cities)'."""
    words: list[Token] = []
    for token in toks[index + 1:]:
        if not token.is_word or token.lower in LINK_WORDS or token.lower in BOUNDARY_WORDS or token.verb \
                or token.lower in CONNECTORS:
            break
        words.append(token)
        if len(words) == 4:
            break
    if not words:
        return None
    return Phrase(sentence[words[0].start:words[-1].end], words[0].start, words[-1].end)
