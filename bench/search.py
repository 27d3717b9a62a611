"""Search latency over a generated store of 100,000 articles, on SQLite and PostgreSQL.

    .venv/bin/python -m bench.search [--articles 100000] [--postgres URL] [--sqlite PATH] [--repeat 5]
    .venv/bin/python -m bench.search --normalisation

The corpus is generated, not crawled: Arabic news sentences put together from
actors, places, weapons and actions (seeded, so every run builds the same
store), with the variants outlets write (hamza or not, ta marbuta or ha,
tashkeel, attached clitics). Articles go straight into ``articles`` and
``article_actors`` in bulk and the index is built as migration 0010 builds it
(crawler/search/index.py ``rebuild``): the crawl pipeline would take hours for
100,000 articles and measures something else. A store already built at
``--sqlite`` / in the ``--postgres`` database is reused.

Queries: single words (common and rare), two words, phrases, with filters
(topic, actor, site, since), each run ``--repeat`` times through
crawler/search/searcher.py ``search`` (ranked, limit 20, snippets included).
Prints median and 95th percentile per database, and the last line is JSON.

``--normalisation`` instead prints precision and recall of the search form on
tests/search/variant_pairs.jsonl for the chosen rules and the alternatives
(matching form alone, articles only, every clitic without the word list,
clitics and suffixes).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select

from crawler.search import index
from crawler.search.searcher import search
from crawler.store import ArticleStore, ExportFilter, make_engine
from crawler.store.models import ActorRow, ArticleRow

START = datetime(2026, 1, 1, tzinfo=UTC)
ACTORS = [
    ("روسيا", "country", ["روسيا", "موسكو", "الروسية"]),
    ("أوكرانيا", "country", ["أوكرانيا", "كييف", "الأوكرانية"]),
    ("إيران", "country", ["إيران", "طهران", "الإيرانية"]),
    ("إسرائيل", "country", ["إسرائيل", "الإسرائيلية"]),
    ("الولايات المتحدة", "country", ["الولايات المتحدة", "واشنطن", "الأمريكية"]),
    ("الصين", "country", ["الصين", "بكين", "الصينية"]),
    ("تركيا", "country", ["تركيا", "أنقرة", "التركية"]),
    ("مصر", "country", ["مصر", "القاهرة", "المصرية"]),
    ("السعودية", "country", ["السعودية", "الرياض"]),
    ("الحوثيون", "armed_group", ["الحوثيين", "جماعة الحوثي"]),
    ("حزب الله", "armed_group", ["حزب الله"]),
    ("حلف شمال الأطلسي", "alliance", ["الناتو", "حلف شمال الأطلسي"]),
]
TOPICS = ["air", "naval", "land", "missiles_air_defence", "drones", "nuclear", "arms_industry", "alliances"]
SUBJECTS = [
    "سلاح المدفعية",
    "الحرس الثوري",
    "خفر السواحل",
    "قوات حفظ السلام",
    "الاستخبارات العسكرية",
    "سرب مقاتلات",
    "غواصة نووية",
    "حاملة الطائرات",
    "لواء المشاة",
    "منظومة باتريوت",
    "القبة الحديدية",
    "مروحيات أباتشي",
    "دبابات أبرامز",
    "قاذفات استراتيجية",
    "وحدات الهندسة",
    "سلاح الإشارة",
    "الشرطة العسكرية",
    "قوات التحالف",
    "الدفاع الجوي",
    "القوات الجوية",
    "البحرية",
    "الجيش",
    "وزارة الدفاع",
    "الطائرات المسيرة",
    "منظومة إس-400",
    "مقاتلات رافال",
    "الفرقاطة",
    "كتيبة مدرعة",
    "رئيس الأركان",
    "قوات خاصة",
]
ACTIONS = [
    "اعترض {n} صواريخ أطلقت نحو",
    "أعلن إسقاط {n} طائرات مسيرة فوق",
    "نفذ مناورات واسعة قرب",
    "استهدف مواقع عسكرية في",
    "تسلم دفعة جديدة من الأسلحة من",
    "وقع اتفاقية تعاون دفاعي مع",
    "أجرى تجربة صاروخية في",
    "نشر {n} بطاريات صواريخ على حدود",
    "عزز وجوده البحري قبالة",
    "كشف عن طائرة بدون طيار جديدة في",
]
PLACES = [
    "بحر الصين الجنوبي",
    "الساحل السوري",
    "باب المندب",
    "الجولان",
    "دونيتسك",
    "زابوريجيا",
    "أوديسا",
    "البصرة",
    "الموصل",
    "إدلب",
    "درعا",
    "رفح",
    "جنين",
    "مأرب",
    "عدن",
    "طرابلس",
    "بنغازي",
    "الفاشر",
    "الخرطوم",
    "مقديشو",
    "كابول",
    "كشمير",
    "تايوان",
    "بحر البلطيق",
    "القطب الشمالي",
    "البحر الأحمر",
    "مضيق هرمز",
    "خاركيف",
    "غزة",
    "الحديدة",
    "طرطوس",
    "القرم",
    "الخليج",
    "سيناء",
    "دمشق",
]
FILLER = [
    "وقال المتحدث باسم {a} إن العملية حققت أهدافها بالكامل",
    "وأضاف مصدر عسكري أن التحقيقات مستمرة لمعرفة ملابسات الحادث",
    "وأفادت وكالة الأنباء الرسمية بأن الوضع تحت السيطرة",
    "من جهتها نفت {a} هذه الاتهامات ووصفتها بأنها لا أساس لها",
    "ويأتي ذلك في ظل تصاعد التوتر في المنطقة خلال الأسابيع الأخيرة",
    "وأكد الخبراء أن هذه الخطوة تعكس تحولا في العقيدة العسكرية",
    "ولم تعلق {a} على الفور على هذه التقارير",
    "وشارك في التدريبات عدد من الوحدات البرية والبحرية والجوية",
    "وأشار البيان إلى أن الدفاعات الجوية تصدت لعدد من الأهداف المعادية",
    "ودعت الأمم المتحدة جميع الأطراف إلى ضبط النفس وتجنب التصعيد",
    "وتعد هذه الصفقة الأكبر من نوعها منذ سنوات",
    "وتقول مصادر مطلعة إن المفاوضات ما زالت جارية",
]
# How outlets vary the same words: tashkeel, a hamza dropped, ta marbuta as ha, an attached و.
VARIANTS: list[Callable[[str], str]] = [
    lambda s: s,
    lambda s: s.replace("أ", "ا").replace("إ", "ا"),
    lambda s: s.replace("ة ", "ه "),
    lambda s: "و" + s,
    lambda s: s.replace("ي ", "ى ", 1),
    lambda s: s.replace("دفاع", "دِّفاع").replace("جوي", "جوّي"),
]
# an article's column values and its actors' rows
Generated = tuple[dict[str, Any], list[dict[str, Any]]]
SITES = ["alusbu", "skynewsarabia", "independentarabia", "news_example.com"]
QUERIES: list[tuple[str, ExportFilter]] = [
    ("الدفاع الجوي", ExportFilter()),
    ('"الدفاع الجوي"', ExportFilter()),
    ("صواريخ", ExportFilter()),
    ("الطائرات المسيرة", ExportFilter()),
    ('"منظومة إس-400"', ExportFilter()),
    ("البحرية البحر الأحمر", ExportFilter()),
    ("مضيق هرمز", ExportFilter(topic="naval")),
    ("رافال", ExportFilter(actor="مصر")),
    ("مناورات", ExportFilter(site="alusbu")),
    ("الحوثيين -إيران", ExportFilter()),
    ('"رئيس الأركان" طرطوس', ExportFilter()),
    ("الأسلحة", ExportFilter(since=START + timedelta(days=300))),
    ("سلاح المدفعية", ExportFilter()),  # the commonest subject
    ("المتحدث", ExportFilter()),  # a word of the sentences every report may hold
    ("إدلب", ExportFilter(site="skynewsarabia")),
]


def zipf(items: list[Any]) -> list[float]:
    """Weights of a Zipf law over ``items`` in their order: a few words are common, most are rare."""
    return [1 / rank for rank in range(1, len(items) + 1)]


def sentence(rng: random.Random, actor_words: list[str], subject: str, place: str) -> str:
    text = f"{rng.choice(VARIANTS)(subject)} {rng.choice(ACTIONS).format(n=rng.randint(2, 40))} {place}"
    if rng.random() < 0.6:
        text += f" بحسب {rng.choice(actor_words)}"
    return text


SUBJECT_W, PLACE_W, ACTOR_W = zipf(SUBJECTS), zipf(PLACES), zipf(ACTORS)


def generate(count: int, seed: int = 1) -> Iterator[Generated]:
    """``count`` articles (column values) with their actors, the same for the same seed."""
    rng = random.Random(seed)
    now = START + timedelta(days=365)
    for n in range(1, count + 1):
        # one event an article: its subject and place (Zipf: common and rare ones) in the title
        # and a few sentences, among sentences any report may hold
        actors = list(
            {name: (name, kind, forms) for name, kind, forms in rng.choices(ACTORS, ACTOR_W, k=2)}.values()
        )
        words = [word for _, _, forms in actors for word in forms]
        subject, place = rng.choices(SUBJECTS, SUBJECT_W)[0], rng.choices(PLACES, PLACE_W)[0]
        title = sentence(rng, words, subject, place)
        body = ". ".join(
            sentence(rng, words, subject, place)
            if rng.random() < 0.25
            else rng.choice(FILLER).format(a=rng.choice(words))
            for _ in range(rng.randint(8, 16))
        )
        # stored in about the order published, as a cron harvest stores them (a few hours' jitter)
        published = START + timedelta(minutes=n * 365 * 24 * 60 // count + rng.randint(-300, 300))
        values = {
            "id": n,
            "url": f"https://bench.example/{n}",
            "site": rng.choice(SITES),
            "title": title,
            "body": body + ".",
            "published_at": published,
            "content_hash": hashlib.sha256(f"{n}{title}{body}".encode()).hexdigest(),
            "first_seen_at": now,
            "last_seen_at": now,
            "updated_at": now,
            "relevance": round(rng.random(), 3),
            "topics": rng.sample(TOPICS, rng.randint(1, 2)),
        }
        parts = [
            {"article_id": n, "position": i, "name": name, "kind": kind, "mentions": 1, "in_title": False}
            for i, (name, kind, _) in enumerate(actors)
        ]
        yield values, parts


def insert_articles(connection: Connection, articles: list[Generated]) -> None:
    """Articles and their actors in bulk, without the store's writer (and without indexing them)."""
    connection.execute(insert(ArticleRow), [values for values, _ in articles])
    actors = [part for _, parts in articles for part in parts]
    if actors:
        connection.execute(insert(ActorRow), actors)


def insert_generated(connection: Connection, count: int, batch: int = 2000) -> None:
    """The ``count`` generated articles and their actors, in batches, then the search index."""
    chunk: list[Generated] = []
    for article in generate(count):
        chunk.append(article)
        if len(chunk) == batch:
            insert_articles(connection, chunk)
            chunk = []
    if chunk:
        insert_articles(connection, chunk)
    index.rebuild(connection)


def build(engine: Engine, count: int, batch: int = 2000) -> float:
    """The store and its index, unless it already holds ``count`` articles: seconds spent."""
    ArticleStore(engine).prepare()
    with engine.connect() as connection:
        stored = connection.scalar(select(func.count()).select_from(ArticleRow)) or 0
    if stored == count:
        return 0.0
    if stored:
        raise SystemExit(f"{engine.url.render_as_string()} holds {stored} articles, not {count}: use another")
    started = time.perf_counter()
    with engine.begin() as connection:
        insert_generated(connection, count, batch)
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
            "ANALYZE" if engine.dialect.name == "sqlite" else "VACUUM ANALYZE"
        )
    return time.perf_counter() - started


def measure(engine: Engine, repeat: int) -> dict[str, Any]:
    search(engine, "الجيش")  # warm the cache, as a store in use is
    per_query: dict[str, list[float]] = {}
    timings: list[float] = []
    for _ in range(repeat):
        for text, where in QUERIES:
            started = time.perf_counter()
            search(engine, text, where, limit=20)
            elapsed = (time.perf_counter() - started) * 1000
            timings.append(elapsed)
            per_query.setdefault(text, []).append(elapsed)
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        "slowest": {text: round(statistics.median(times), 1) for text, times in per_query.items()},
    }


def normalisation() -> dict[str, tuple[float, float]]:
    """Precision and recall of each set of rules on the labelled pairs."""
    from crawler.search import normalise
    from tests.test_search_normalise import precision_recall

    chosen = normalise.stem

    def articles_only(word: str) -> str:
        for article in normalise._ARTICLES:
            if word.startswith(article) and len(word) - len(article) >= 2:
                return word[len(article) :]
        return word

    def every_clitic(word: str) -> str:
        stripped = articles_only(word)
        if stripped != word:
            return stripped
        if word[0] in "وف" and len(word) >= 4:
            word = word[1:]
        return word[1:] if word[0] in "بلك" and len(word) >= 4 else word

    def with_suffixes(word: str) -> str:
        word = chosen(word)
        for suffix in ("هما", "كما", "هم", "هن", "كم", "نا", "ها", "ات", "ون", "ين", "ان", "ه"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                return word[: -len(suffix)]
        return word

    rules: dict[str, Callable[[str], str]] = {
        "matching form alone": lambda word: word,
        "articles only": articles_only,
        "every clitic, no word list": every_clitic,
        "clitics and suffixes": with_suffixes,
        "clitics, word list (chosen)": chosen,
    }
    figures = {}
    try:
        for name, rule in rules.items():
            normalise.stem = rule  # type: ignore[assignment]
            precision, recall, _ = precision_recall()
            figures[name] = (round(precision, 3), round(recall, 3))
    finally:
        normalise.stem = chosen
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument(
        "--sqlite", default="/tmp/bench-search.db", help="SQLite file (kept for the next run)"
    )
    parser.add_argument("--postgres", help="a PostgreSQL URL (a schema of its own: the store is built there)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--normalisation", action="store_true", help="precision/recall of the rules instead")
    options = parser.parse_args(argv)
    if options.normalisation:
        rules = normalisation()
        for name, (precision, recall) in rules.items():
            print(f"{name:32} precision {precision:.3f}  recall {recall:.3f}")
        print(json.dumps(rules, ensure_ascii=False))
        return 0
    urls = {"sqlite": f"sqlite:///{Path(options.sqlite).absolute()}"}
    if options.postgres:
        urls["postgresql"] = options.postgres
    results = {}
    for name, url in urls.items():
        engine = make_engine(url)
        built = build(engine, options.articles)
        figures = measure(engine, options.repeat)
        figures["build_s"] = round(built, 1)
        results[name] = figures
        print(
            f"{name:10} {options.articles} articles: median {figures['median_ms']} ms, "
            f"p95 {figures['p95_ms']} ms (built in {figures['build_s']} s)",
            file=sys.stderr,
        )
        for text, ms in figures["slowest"].items():
            print(f"    {ms:8.1f} ms  {text}", file=sys.stderr)
        engine.dispose()
    print(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
