"""Views for analysts: the store's questions as plain tables any SQL client can read.

BI tools (Metabase, Superset, a spreadsheet's database connection) and Datasette
(``scrapy browse``) read these instead of joining the store's tables themselves:

* ``articles_v``: one row per article, with its topics and actors as text (and as JSON
  lists, for Datasette's array facets), its story and how many URLs it was seen at;
* ``stories_v``: one row per story: its outlets (how many, and which, first reporter
  first), its first report, its first and last time, its articles;
* ``story_articles_v``: the articles of each story, ranked by when they were published;
* ``story_outlets_v``: the outlets of each story (copies at other outlets' URLs included),
  with when each first carried it;
* ``article_actors_v`` and ``actors_v``: who is named where, and each actor's totals;
* ``citations_v``: who each article credits or cites (source lines, agencies, outlets);
* ``daily_topics_v``: how many articles of each topic per day (UTC).

An article's time is ``published_at``, else when the crawler first saw it (an appended
article has no date of its own), as the stories reckon it (crawler/store/placement.py).
Empty lists are empty strings, not NULL, on both databases.

The same columns on SQLite and PostgreSQL; only the JSON and string-aggregation
functions differ (``json_each``/``group_concat`` against
``json_array_elements_text``/``string_agg``). SQLite 3.40 has no ORDER BY inside
``group_concat``: its lists aggregate a subquery that is already in order, which SQLite
keeps. A view pins the tables it reads: a later migration that rebuilds one of them on
SQLite (batch mode) runs with ``legacy_alter_table`` on (migrations/env.py), or SQLite
refuses the rename that ends the rebuild.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 22:30:00

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What differs between the dialects: lists in order, a JSON list's elements, a UTC day.
DIALECT = {
    "sqlite": {
        "topics_text": "(SELECT group_concat(t.value, ', ') FROM json_each(a.topics) AS t)",
        "actors_text": (
            "(SELECT group_concat(x.name, ', ') FROM"
            " (SELECT aa.name FROM article_actors aa WHERE aa.article_id = a.id ORDER BY aa.position) x)"
        ),
        "actors_json": (
            "(SELECT json_group_array(x.name) FROM"
            " (SELECT aa.name FROM article_actors aa WHERE aa.article_id = a.id ORDER BY aa.position) x)"
        ),
        "outlets_text": (
            "(SELECT group_concat(x.site, ', ') FROM"
            " (SELECT c.site, MIN(c.reported_at) AS first FROM ({carriers}) c"
            " GROUP BY c.site ORDER BY first, c.site) x)"
        ),
        "topic_rows": "articles a, json_each(a.topics) AS t",
        "topic": "t.value",
        "day": "date(COALESCE(a.published_at, a.first_seen_at))",
    },
    "postgresql": {
        "topics_text": (
            "(SELECT string_agg(t.value, ', ' ORDER BY t.ord)"
            " FROM json_array_elements_text(a.topics) WITH ORDINALITY AS t(value, ord))"
        ),
        "actors_text": (
            "(SELECT string_agg(aa.name, ', ' ORDER BY aa.position)"
            " FROM article_actors aa WHERE aa.article_id = a.id)"
        ),
        "actors_json": (
            "COALESCE((SELECT json_agg(aa.name ORDER BY aa.position)"
            " FROM article_actors aa WHERE aa.article_id = a.id), '[]'::json)"
        ),
        "outlets_text": (
            "(SELECT string_agg(x.site, ', ' ORDER BY x.first, x.site) FROM"
            " (SELECT c.site, MIN(c.reported_at) AS first FROM ({carriers}) c GROUP BY c.site) x)"
        ),
        "topic_rows": "articles a CROSS JOIN LATERAL json_array_elements_text(a.topics) AS t(value)",
        "topic": "t.value",
        "day": "CAST(COALESCE(a.published_at, a.first_seen_at) AT TIME ZONE 'UTC' AS date)",
    },
}

# In dependency order: a view is created after the views it reads, dropped before them.
VIEWS: tuple[tuple[str, str], ...] = (
    (
        "articles_v",
        """
        SELECT a.id, a.published_at, a.site, a.title, a.source,
               COALESCE({topics_text}, '') AS topics,
               COALESCE({actors_text}, '') AS actors,
               a.story_id, s.title AS story_title,
               (SELECT COUNT(*) FROM article_urls u WHERE u.article_id = a.id) AS url_count,
               a.relevance, a.url, a.publisher, a.author, a.section, a.lang, a.published_precision,
               a.first_seen_at, a.last_seen_at, a.revision,
               a.topics AS topic_list,
               {actors_json} AS actor_list,
               LENGTH(a.body) AS body_chars
        FROM articles a LEFT JOIN stories s ON s.id = a.story_id
        """,
    ),
    (
        "story_articles_v",
        """
        SELECT a.story_id, s.title AS story_title,
               ROW_NUMBER() OVER (
                   PARTITION BY a.story_id ORDER BY COALESCE(a.published_at, a.first_seen_at), a.id
               ) AS rank,
               a.id AS article_id, a.url, a.site, a.source, a.title,
               COALESCE(a.published_at, a.first_seen_at) AS reported_at,
               (SELECT COUNT(*) FROM article_urls u WHERE u.article_id = a.id) AS url_count
        FROM articles a JOIN stories s ON s.id = a.story_id
        """,
    ),
    (
        # From article_urls alone, which holds every URL of an article with its site, its own
        # included: a UNION with articles.site would keep SQLite from narrowing the view to
        # one story (no push-down into a compound), and each story would cost the whole table.
        "story_outlets_v",
        """
        SELECT a.story_id, u.site, MIN(COALESCE(a.published_at, a.first_seen_at)) AS first_reported_at,
               COUNT(DISTINCT a.id) AS article_count
        FROM articles a JOIN article_urls u ON u.article_id = a.id
        WHERE a.story_id IS NOT NULL AND u.site <> ''
        GROUP BY a.story_id, u.site
        """,
    ),
    (
        "stories_v",
        """
        SELECT s.id, s.title, s.first_published_at, s.last_published_at,
               (SELECT COUNT(*) FROM articles a WHERE a.story_id = s.id) AS article_count,
               (SELECT COUNT(DISTINCT c.site) FROM ({carriers}) c) AS outlet_count,
               (SELECT a.site FROM articles a WHERE a.story_id = s.id {first}) AS first_outlet,
               (SELECT a.url FROM articles a WHERE a.story_id = s.id {first}) AS first_url,
               (SELECT a.id FROM articles a WHERE a.story_id = s.id {first}) AS first_article_id,
               COALESCE({outlets_text}, '') AS outlets
        FROM stories s
        """,
    ),
    (
        "article_actors_v",
        """
        SELECT aa.article_id, aa.name, aa.kind, aa.mentions, aa.in_title,
               a.site, a.title, a.published_at, a.story_id
        FROM article_actors aa JOIN articles a ON a.id = aa.article_id
        """,
    ),
    (
        "actors_v",
        """
        SELECT aa.name, aa.kind, COUNT(DISTINCT aa.article_id) AS article_count,
               SUM(CASE WHEN aa.in_title THEN 1 ELSE 0 END) AS title_count,
               SUM(aa.mentions) AS mentions,
               COUNT(DISTINCT a.story_id) AS story_count,
               MIN(COALESCE(a.published_at, a.first_seen_at)) AS first_reported_at,
               MAX(COALESCE(a.published_at, a.first_seen_at)) AS last_reported_at
        FROM article_actors aa JOIN articles a ON a.id = aa.article_id
        GROUP BY aa.name, aa.kind
        """,
    ),
    (
        "citations_v",
        """
        SELECT c.article_id, c.position, c.kind, c.name, c.text,
               a.site, a.title, a.published_at, a.story_id
        FROM attributions c JOIN articles a ON a.id = c.article_id
        """,
    ),
    (
        "daily_topics_v",
        """
        SELECT {day} AS day, {topic} AS topic, COUNT(*) AS article_count
        FROM {topic_rows}
        GROUP BY {day}, {topic}
        """,
    ),
)


# Per story, each outlet that carried one of its articles (its own site, and the sites of
# the URLs it was also seen at), with the article's time. Written into stories_v per story,
# not read from story_outlets_v or story_articles_v: SQLite does not push a correlated
# story id into a grouped or windowed view, and recomputed all stories for each one.
CARRIERS = (
    "SELECT a.site, COALESCE(a.published_at, a.first_seen_at) AS reported_at"
    " FROM articles a WHERE a.story_id = s.id AND a.site <> ''"
    " UNION SELECT u.site, COALESCE(a.published_at, a.first_seen_at) AS reported_at"
    " FROM articles a JOIN article_urls u ON u.article_id = a.id WHERE a.story_id = s.id AND u.site <> ''"
)
FIRST = "ORDER BY COALESCE(a.published_at, a.first_seen_at), a.id LIMIT 1"


def upgrade() -> None:
    parts = dict(DIALECT[op.get_bind().dialect.name])
    parts["outlets_text"] = parts["outlets_text"].format(carriers=CARRIERS)
    parts.update(carriers=CARRIERS, first=FIRST)
    for name, body in VIEWS:
        op.execute(f"CREATE VIEW {name} AS {body.format(**parts).strip()}")


def downgrade() -> None:
    for name, _ in reversed(VIEWS):
        op.execute(f"DROP VIEW IF EXISTS {name}")
