"""Question analysis: language, arithmetic intent, periods, roles and follow-ups."""

from datetime import date

import pytest

from assistant.analyse import analyse, detect_language

MARCH_QUESTION = "Berapa UMKM yang sudah go digital per Maret 2023?"
HISTORY = [
    {"role": "user", "content": MARCH_QUESTION},
    {"role": "assistant", "content": "Jumlahnya **22 juta UMKM** per Maret 2023 [1]."},
]


@pytest.mark.parametrize(
    "question, language",
    [
        (MARCH_QUESTION, "id"),
        ("Siapa yang melaporkan angka 27 juta UMKM?", "id"),
        ("Berapa persen dari target yang sudah tercapai?", "id"),
        ("How many MSMEs have gone digital as of June 2023?", "en"),
        ("What percentage of the target has been reached?", "en"),
        ("Who reported the figure of 27 million UMKM?", "en"),
    ],
)
def test_language(question, language):
    assert detect_language(question) == language
    assert analyse(question).language == language


@pytest.mark.parametrize(
    "question, operation",
    [
        ("Berapa lagi UMKM yang harus go digital untuk mencapai target?", "difference"),
        ("Berapa selisih UMKM go digital antara Maret dan Juni 2023?", "difference"),
        ("How many more MSMEs need to go digital to reach the target?", "difference"),
        ("What is the gap between the target and the current number?", "difference"),
        ("Berapa persen dari target yang sudah tercapai?", "share_of"),
        ("What percentage of the target has been reached?", "share_of"),
        ("What was the growth rate of digital MSMEs from March to June 2023?", "growth_rate"),
        ("By what percentage did the number of digital MSMEs grow between March and June 2023?", "growth_rate"),
        ("Berapa rata-rata penambahan UMKM go digital per bulan sejak Maret 2023?", "pace"),
        ("How many MSMEs went digital per month on average since March 2023?", "pace"),
        ("Berapa UMKM yang sudah go digital per Juni 2023?", None),
        ("What is the 2024 target for digital MSMEs?", None),
    ],
)
def test_operation(question, operation):
    analysis = analyse(question)
    assert analysis.operation == operation
    assert analysis.numeric


def test_share_and_growth_questions_expect_percent():
    assert analyse("What percentage of the target has been reached?").expected_unit == "%"
    assert analyse("What was the growth rate of digital MSMEs from March to June 2023?").expected_unit == "%"


def test_periods_of_a_question():
    (period,) = analyse(MARCH_QUESTION).periods
    assert period.kind == "month" and period.end == date(2023, 3, 31)
    (period,) = analyse("How many MSMEs have gone digital as of June 2023?").periods
    assert period.label == "2023-06"
    (period,) = analyse("Berapa target UMKM go digital pada 2024?").periods
    assert period.kind == "year" and period.end.year == 2024
    (span,) = analyse("Berapa selisih UMKM go digital antara Maret dan Juni 2023?").periods
    assert span.kind == "span" and (span.start, span.end) == (date(2023, 3, 1), date(2023, 6, 30))


def test_current_is_wanted_not_a_period():
    analysis = analyse("Berapa UMKM yang saat ini sudah go digital?")
    assert analysis.wants_current and analysis.periods == ()


def test_roles():
    assert analyse("Berapa target UMKM go digital pada 2024?").role == "target"
    assert analyse("What percentage of the target has been reached?").role == "share"
    assert analyse(MARCH_QUESTION).role == "actual"


def test_a_contribution_is_asked_as_a_share():
    # "andil" / "contributed" figures are claims of kind share; the question asking for one asks for a share,
    # not for the headline figure it contributes to
    for question in ("Berapa andil beras terhadap inflasi bulanan Oktober 2023?",
                     "How much did gasoline contribute to month-on-month inflation in October 2023?",
                     "Berapa kontribusi sektor pertanian terhadap PDB 2023?",
                     "What was the contribution of exports to growth in 2023?"):
        assert analyse(question).role == "share", question
    assert analyse("Berapa inflasi bulanan Oktober 2023?").role != "share"


def test_non_numeric_question():
    analysis = analyse("Siapa yang melaporkan angka 27 juta UMKM?")
    assert not analysis.numeric and analysis.operation is None


def test_a_question_without_history_is_not_a_follow_up():
    analysis = analyse(MARCH_QUESTION, HISTORY[:0])
    assert not analysis.follow_up and analysis.text == MARCH_QUESTION


def test_a_full_question_after_history_stands_alone():
    analysis = analyse("What percentage of the target has been reached?", HISTORY)
    assert not analysis.follow_up and analysis.operation == "share_of"


def test_follow_up_takes_the_new_month():
    analysis = analyse("Dan per Juni?", HISTORY)
    assert analysis.follow_up
    assert [(p.kind, p.end) for p in analysis.periods] == [("month", date(2023, 6, 30))]


def test_follow_up_merges_with_the_previous_question():
    analysis = analyse("Dan per Juni?", HISTORY)
    assert analysis.follow_up and analysis.numeric
    assert MARCH_QUESTION in analysis.text and "Juni" in analysis.text
    assert analysis.language == "id"


def test_follow_up_for_the_target_drops_the_period():
    analysis = analyse("And the target?", HISTORY)
    assert analysis.follow_up
    assert analysis.role == "target"
    assert analysis.periods == ()


def test_history_in_tuple_format_is_accepted():
    analysis = analyse("And the target?", [(MARCH_QUESTION, "22 juta")])
    assert analysis.follow_up and analysis.role == "target"


def test_a_missing_topic_is_named_the_same_in_every_process():
    """The name of a missing topic does not depend on the hash seed (set order) of the process."""
    import subprocess
    import sys

    snippet = ("from assistant.analyse import analyse; from assistant.matching import missing_terms; "
               "a = analyse('How many digital talents does the government plan to train?'); "
               "print(missing_terms(a, []))")
    names = {subprocess.run([sys.executable, "-c", snippet], capture_output=True, text=True, check=True,
                            env={**__import__("os").environ, "PYTHONHASHSEED": str(seed)}).stdout
             for seed in range(6)}
    assert len(names) == 1 and "tal" in names.pop()


@pytest.mark.parametrize("question, unit", [
    ("How fast did corporate lending grow in September 2024?", "%"),  # "how fast": a rate
    ("Seberapa cepat kredit tumbuh pada 2024?", "%"),
    ("How many borrowers received KUR loans in 2022?", "count"),  # the thing counted, not the money named
    ("How many rupiah did the government spend in 2023?", "currency"),
    ("By how many bps did the central bank raise its rate?", "bps"),  # basis points, written lower case
    ("According to the BPS release, what surplus did Indonesia book in May 2023?", "currency"),  # the agency
    ("Menurut BPS, berapa produksi padi pada 2023?", None),
    ("What share of total exports went to China?", "%"),
    ("What was the total value of all shares listed at the end of 2022?", "currency"),  # stocks, not a share of
])
def test_the_expected_unit_follows_the_question_words(question, unit):
    assert analyse(question).expected_unit == unit


@pytest.mark.parametrize(
    "question, labels",
    [
        ("Berapa IKK pada November 2022 menurut Survei Konsumen BI November 2023?", ["2022-11"]),
        ("As cited in Bank Indonesia's October 2023 consumer survey, what was the index in September 2023?",
         ["2023-09"]),
        ("What was the IEK in September 2023, according to BI's October 2023 survey release?", ["2023-09"]),
        # the source's period is the only one: it is the figure's too
        ("Menurut Survei Kegiatan Dunia Usaha triwulan IV 2023, berapa saldo bersih tertimbang?", ["2023-Q4"]),
        ("Berapa kenaikan IKK dari Oktober 2023 ke November 2023?", ["2023-10..2023-11"]),
    ],
)
def test_a_period_that_names_the_source_is_not_the_one_asked(question, labels):
    assert [p.label for p in analyse(question).periods] == labels


@pytest.mark.parametrize(
    "question, labels",
    [
        # "menurut" that breaks a series down, or names an agency, names no source period
        ("Berapa pertumbuhan PDB menurut lapangan usaha pada triwulan III 2023 dibandingkan triwulan III 2022?",
         ["2023-Q3", "2022-Q3"]),
        ("Menurut BPS berapa inflasi pada November 2023 dan Oktober 2023?", ["2023-11", "2023-10"]),
        ("According to BPS what was inflation in November 2023 compared with October 2023?", ["2023-11", "2023-10"]),
        ("In the December 2023 report, what was inflation in November 2023?", ["2023-11"]),  # the source before
    ],
)
def test_only_a_period_of_a_named_source_is_set_aside(question, labels):
    assert [p.label for p in analyse(question).periods] == labels


@pytest.mark.parametrize("question, asks_words", [
    ("Kapan Gerakan Pemuda Ansor didirikan?", True), ("kapankah Gerakan Pemuda Ansor didirikan?", True),
    ("Siapakah ketua BAZNAS?", True), ("Who presented the data?", True),
    ("Siapa yang memaparkan data IKI?", True), ("What was BNI's net profit in 2023?", False),
    ("Berapa UMKM yang sudah go digital?", False), ("UMKM yang sudah go digital per Juni 2023?", False),
])
def test_an_interrogative_that_wants_words_is_marked(question, asks_words):
    analysis = analyse(question)
    assert analysis.asks_words is asks_words and (not analysis.numeric if asks_words else True)
