"""A small bilingual lexicon of economic-briefing vocabulary.

It lets the reader check an English question's key terms against Indonesian evidence ("GDP" → "pdb",
"exports" → "ekspor") and tells topic nouns (which must be in the evidence) from question words.
Values are Indonesian words; they are stemmed like the evidence before comparing.
"""

from __future__ import annotations

ENGLISH_TO_INDONESIAN: dict[str, tuple[str, ...]] = {
    # who and what is counted
    "msme": ("umkm", "usaha"), "msmes": ("umkm", "usaha"), "sme": ("umkm", "usaha"), "smes": ("umkm", "usaha"),
    "umkm": ("umkm",), "business": ("usaha", "umkm", "bisnis"), "businesses": ("usaha", "umkm", "bisnis"),
    "enterprise": ("usaha", "perusahaan"), "enterprises": ("usaha", "perusahaan"), "firm": ("usaha", "perusahaan"),
    "firms": ("usaha", "perusahaan"), "company": ("perusahaan",), "companies": ("perusahaan",),
    "entrepreneur": ("pelaku", "usaha", "wirausaha"), "entrepreneurs": ("pelaku", "usaha", "wirausaha"),
    "merchant": ("pedagang", "merchant"), "merchants": ("pedagang", "merchant"),
    "seller": ("penjual", "pelaku"), "sellers": ("penjual", "pelaku"),
    "startup": ("startup", "rintisan"), "startups": ("startup", "rintisan"), "unicorn": ("unicorn",),
    "worker": ("pekerja", "tenaga"), "workers": ("pekerja", "tenaga"), "job": ("kerja",), "jobs": ("kerja",),
    "talent": ("talenta",), "talents": ("talenta",), "user": ("pengguna",), "users": ("pengguna",),
    "people": ("orang",), "population": ("populasi", "penduduk"), "household": ("rumah", "tangga"),
    "households": ("rumah", "tangga"), "farmer": ("petani",), "farmers": ("petani",),
    "government": ("pemerintah",), "ministry": ("kementerian",), "minister": ("menteri",),
    "deputy": ("deputi", "wakil"), "official": ("pejabat",), "president": ("presiden",),
    # economic topics
    "gdp": ("pdb",), "covid": ("pandemi", "covid"), "covid-19": ("pandemi", "covid"), "economy": ("ekonomi",), "economic": ("ekonomi",), "growth": ("tumbuh", "pertumbuhan"),
    "export": ("ekspor",), "exports": ("ekspor",), "import": ("impor",), "imports": ("impor",),
    "trade": ("dagang", "perdagangan"), "surplus": ("surplus",), "deficit": ("defisit",),
    "balance": ("neraca", "saldo"), "inflation": ("inflasi",), "price": ("harga",), "prices": ("harga",),
    "rice": ("beras",), "food": ("pangan", "makanan"), "fuel": ("bbm", "bahan"), "oil": ("minyak",),
    "coal": ("batu", "bara"), "palm": ("sawit",), "nickel": ("nikel",), "stock": ("stok", "saham"),
    "stocks": ("stok", "saham"), "reserve": ("cadangan",), "reserves": ("cadangan",),
    "investment": ("investasi", "penanaman modal", "modal"), "investments": ("investasi", "penanaman modal", "modal"), "investor": ("investor",),
    "credit": ("kredit",), "loan": ("pinjaman", "kredit"), "loans": ("pinjaman", "kredit"),
    "lending": ("pinjaman", "kredit"), "budget": ("anggaran", "apbn"), "spending": ("belanja",),
    "revenue": ("pendapatan", "penerimaan"), "tax": ("pajak",), "taxes": ("pajak",), "subsidy": ("subsidi",),
    "subsidies": ("subsidi",), "debt": ("utang",), "interest": ("bunga",), "rate": ("tingkat", "suku"),
    "unemployment": ("pengangguran",), "poverty": ("kemiskinan", "miskin"), "wage": ("upah",),
    "wages": ("upah",), "salary": ("gaji",), "transaction": ("transaksi",), "transactions": ("transaksi",),
    "payment": ("pembayaran", "bayar"), "payments": ("pembayaran", "bayar"), "value": ("nilai",),
    "volume": ("volume",), "production": ("produksi",), "output": ("produksi", "output"),
    "consumption": ("konsumsi",), "demand": ("permintaan",), "supply": ("pasokan",), "harvest": ("panen", "produksi"),
    "tourism": ("pariwisata", "wisata"), "tourist": ("wisatawan",), "tourists": ("wisatawan",),
    "internet": ("internet",), "broadband": ("broadband", "pita"), "bank": ("bank",), "banks": ("bank",),
    "currency": ("mata", "uang"), "rupiah": ("rupiah",), "dollar": ("dolar",), "exchange": ("tukar",),
    "market": ("pasar",), "markets": ("pasar",), "sector": ("sektor",), "sectors": ("sektor",),
    "manufacturing": ("manufaktur", "pengolahan"), "mining": ("tambang",),
    "agriculture": ("pertanian", "tani"), "infrastructure": ("infrastruktur",), "energy": ("energi",),
    "electricity": ("listrik",), "digital": ("digital",), "online": ("daring", "online", "digital"),
    "ecommerce": ("e-commerce",), "e-commerce": ("e-commerce",), "fintech": ("fintech",),
    "platform": ("platform",), "platforms": ("platform",), "training": ("pelatihan", "latih"),
    "literacy": ("literasi",), "education": ("edukasi", "pendidikan"), "certificate": ("sertifikat",),
    "target": ("target", "sasaran"), "goal": ("target", "sasaran"), "pandemic": ("pandemi",),
    "ecosystem": ("ekosistem",), "strategy": ("strategi",), "white": ("putih",), "paper": ("buku",),
    "book": ("buku",), "launch": ("luncur", "peluncuran"), "briefing": ("briefing",), "media": ("media",),
    "hope": ("harap",), "hopes": ("harap",), "champion": ("champion",), "global": ("global",),
    "sell": ("jual",), "product": ("produk",), "products": ("produk",),
    "quota": ("kuota",), "grain": ("beras", "gabah"), "ministry's": ("kementerian",),
    "zone": ("zona",), "ceiling": ("tertinggi",), "retail": ("eceran",),
    "exporters": ("eksportir",), "exporter": ("eksportir",), "agreement": ("perjanjian",),
    "agreements": ("perjanjian",), "countries": ("negara",), "steel": ("baja",), "gold": ("emas",), "jewellery": ("perhiasan",), "jewelry": ("perhiasan",),
    "rubber": ("karet",), "textile": ("tekstil",), "cocoa": ("kakao",), "copper": ("tembaga",),
    "iron": ("besi",), "coffee": ("kopi",), "month": ("bulan",), "year": ("tahun",), "quarter": ("kuartal", "triwulan"),
    "annual": ("tahunan",), "yearly": ("tahunan",), "monthly": ("bulanan",), "core": ("inti",),
    "headline": ("umum",), "volatile": ("bergejolak",), "average": ("rata",), "premium": ("premium",),
    "medium": ("medium", "menengah"), "small": ("kecil",), "micro": ("mikro",), "large": ("besar",),
    "financing": ("pembiayaan", "kredit"), "disbursed": ("salur", "penyaluran"), "page": ("halaman",),
    "pages": ("halaman",), "capital": ("modal", "permodalan"), "adequacy": ("kecukupan",),
    "ratio": ("rasio",), "sharia": ("syariah",), "islamic": ("syariah",), "asset": ("aset",), "assets": ("aset",),
    "deposit": ("simpanan", "dpk", "deposito"), "deposits": ("simpanan", "dpk", "deposito"), "savings": ("tabungan", "simpanan"),
    "branch": ("cabang",), "branches": ("cabang",), "office": ("kantor",), "offices": ("kantor",), "regulation": ("peraturan", "aturan", "regulasi"), "rule": ("aturan", "peraturan"),
    "become": ("jadi", "menjadi"), "need": ("perlu", "butuh"), "needed": ("perlu", "butuh"),
    "reason": ("alasan", "sebab"), "raise": ("naik", "menaikkan"), "raised": ("naik", "menaikkan"),
    "revision": ("revisi",), "contraction": ("kontraksi",), "expansion": ("ekspansi",), "industry": ("industri",), "revise": ("revisi",), "producer": ("produsen",), "producers": ("produsen",),
    "local": ("lokal",), "compete": ("bersaing", "saing"), "province": ("provinsi",), "provinces": ("provinsi",),
    "country": ("negara",), "largest": ("terbesar",), "biggest": ("terbesar",), "factory": ("pabrik",), "factories": ("pabrik",), "index": ("indeks",),
    "activity": ("aktivitas", "kegiatan"), "order": ("pesanan",), "orders": ("pesanan",), "visit": ("kunjungan",), "visits": ("kunjungan",), "visitor": ("pengunjung", "wisatawan"),
    "visitors": ("pengunjung", "wisatawan"), "foreign": ("mancanegara", "asing", "luar"),
    "domestic": ("domestik", "nusantara", "dalam"), "hotel": ("hotel",), "occupancy": ("penghunian", "hunian"),
    "room": ("kamar",), "rooms": ("kamar",), "passenger": ("penumpang",), "passengers": ("penumpang",),
    "vehicle": ("kendaraan",), "vehicles": ("kendaraan",), "car": ("mobil",), "cars": ("mobil",),
    "house": ("rumah",), "houses": ("rumah",), "unit": ("unit",), "units": ("unit",), "flight": ("penerbangan",),
    "flights": ("penerbangan",), "produce": ("produksi",), "produced": ("produksi",), "area": ("luas", "areal"),
    "exported": ("ekspor",), "imported": ("impor",), "sold": ("jual",), "tonne": ("ton",), "tonnes": ("ton",), "tons": ("ton",),
}

# Places that briefings name in either language.
PLACES: dict[str, tuple[str, ...]] = {
    "china": ("tiongkok", "cina", "china", "rrt"), "united states": ("amerika serikat", "united states", "u.s.", "usa"),
    "japan": ("jepang", "japan"), "india": ("india",), "south korea": ("korea selatan", "south korea"),
    "singapore": ("singapura", "singapore"), "malaysia": ("malaysia",), "australia": ("australia",),
    "european union": ("uni eropa", "european union"), "germany": ("jerman", "germany"),
    "netherlands": ("belanda", "netherlands"), "thailand": ("thailand",), "vietnam": ("vietnam",),
    "philippines": ("filipina", "philippines"), "myanmar": ("myanmar",), "cambodia": ("kamboja", "cambodia"),
    "laos": ("laos",), "brunei": ("brunei",), "south africa": ("afrika selatan", "south africa"),
    "canada": ("kanada", "canada"), "france": ("prancis", "perancis", "france"), "italy": ("italia", "italy"), "saudi arabia": ("arab saudi", "saudi arabia"),
    "united kingdom": ("inggris", "britania raya", "united kingdom"), "taiwan": ("taiwan",),
    "hong kong": ("hong kong",), "russia": ("rusia", "russia"), "brazil": ("brasil", "brazil"),
}
_PLACE_FORMS = {form: forms for forms in PLACES.values() for form in forms}


def place_forms(name: str) -> tuple[str, ...]:
    """Every spelling of a place ('China' → tiongkok, cina, china, rrt); empty when unknown."""
    return _PLACE_FORMS.get(name.lower(), ())


# Topic nouns: a question naming one of these is about that topic; if the evidence never mentions
# it, the documents do not answer the question (stems, Indonesian and English).
TOPIC_WORDS: frozenset[str] = frozenset(
    """pdb gdp ekspor impor dagang neraca surplus defisit inflasi harga beras pangan minyak sawit nikel
    bara investasi investor kredit pinjam anggaran apbn belanja pendapatan terima pajak subsidi utang
    bunga pengangguran miskin upah gaji transaksi bayar volume produksi konsumsi minta pasok
    panen pariwisata wisata wisatawan broadband bank tukar saham talenta startup rintisan unicorn
    pengguna penduduk petani pekerja listrik energi tambang infrastruktur qris gmv valuasi
    sertifikat latih pelatihan literasi kuota paten modal dana hibah bansos kur pembiayaan biaya
    pasar market markets e-commerce ecommerce fintech marketplace syariah sharia islamic aset asset assets
    liabilitas liabilities ekuitas equity dpk deposit deposits simpanan tabungan savings npl cabang branch
    branches kantor offices atm
    besi baja kopi karet tekstil emas perhiasan gas batubara kakao timah tembaga bauksit garmen
    steel iron coffee rubber textile gold jewellery jewelry cocoa tin copper bauxite garment footwear
    export import trade inflation price rice investment credit loan budget revenue tax subsidy debt
    unemployment poverty wage salary transaction payment production consumption tourism tourist
    talent startup user users worker workers job jobs valuation funding capital""".split()
)

QUESTION_WORDS: frozenset[str] = frozenset(
    """berapa apa siapa mengapa kenapa bagaimana kapan mana manakah apakah berapakah jumlah banyak total
    angka data briefing dokumen laporan menurut sebut disebut kata ujar jelas tahu informasi nomor
    how what who why when where which whose much many number amount total figure figures data document
    documents briefing report according say says said state stated mention mentioned tell give given
    per kah""".split()
)


INDONESIAN_TO_ENGLISH: dict[str, tuple[str, ...]] = {}
for _english, _indonesian in ENGLISH_TO_INDONESIAN.items():
    for _word in _indonesian:
        INDONESIAN_TO_ENGLISH.setdefault(_word, ())
        INDONESIAN_TO_ENGLISH[_word] += (_english,)


# Qualifiers that pick one series out of several ("core" inflation, "premium" rice, "non-oil" exports).
# A figure answers a question with a qualifier only if its sentence has it too.
QUALIFIERS: dict[str, tuple[str, ...]] = {
    "core": ("core", "inti"),
    "headline": ("headline inflation", "inflasi umum", "general price level", "general prices", "harga umum"),
    "volatile": ("volatile", "bergejolak"),
    "administered": ("administered", "harga diatur"),
    "premium": ("premium",),
    "medium": ("medium", "menengah"),
    "oil-gas": ("migas", "oil and gas", "oil-and-gas"),
    "non-oil-gas": ("nonmigas", "non-migas", "non-oil", "non-oil-and-gas"),
    "month-on-month": ("month-on-month", "mom", "secara bulanan", "bulanan", "monthly"),
    "year-on-year": ("year-on-year", "yoy", "secara tahunan", "tahunan", "annual", "from a year earlier",
                     "a year earlier", "a year ago"),
    "foreign": ("foreign", "asing", "pma", "mancanegara", "overseas investor", "overseas investors",
                "investor asing"),
    "domestic": ("domestic", "dalam negeri", "domestik", "pmdn", "lokal", "local"),
    "msme": ("umkm", "msme", "msmes", "usaha mikro", "micro, small and medium", "small and medium", "sme", "smes"),
    "sub-index": ("sub-index", "subindex", "sub-indeks", "subindeks"),
    "manufacturing": ("manufacturing", "manufactured", "pengolahan", "manufaktur"),
    "mining": ("mining", "pertambangan", "tambang"),
    "agriculture": ("agriculture", "pertanian"),
    "retail": ("retail", "eceran"),
    "wholesale": ("wholesale", "grosir"),
}


# Qualifiers that exclude each other: a year-on-year figure never answers a month-on-month question.
EXCLUSIVE_QUALIFIERS: tuple[frozenset[str], ...] = (
    frozenset({"month-on-month", "year-on-year"}),
    frozenset({"foreign", "domestic"}),
    frozenset({"core", "headline", "volatile", "administered"}),
    frozenset({"oil-gas", "non-oil-gas"}),
)


# Entities every Indonesian economic briefing is about, stated or not: never required in a sentence.
IMPLIED_ENTITIES: frozenset[str] = frozenset({"indonesia", "indonesian", "ri", "nasional", "national"})


def equivalents(word: str) -> frozenset[str]:
    """The word and its translations both ways, lowercased."""
    lowered = word.lower()
    return frozenset({lowered, *ENGLISH_TO_INDONESIAN.get(lowered, ()), *INDONESIAN_TO_ENGLISH.get(lowered, ())})
