"""Topics one row each, and the counting views read narrow tables: ``scrapy browse`` at 100,000 articles.

At 100,000 articles the pages that count over every article (``articles_v`` with its
topic and actor facets, ``actors_v``, ``daily_topics_v``, ``articles``) took 2 to 6 s, and
facets past Datasette's time limit were left out (docs/benchmarks.md): a topic lives in
each article's JSON list, which SQLite keeps past the body in the row, and the views
looked each article up by its id in the wide ``articles`` rows.

* ``article_topics(article_id, position, topic)``: the topics of ``articles.topics``
  (kept as it is: exports read it), one row each in the list's order, indexed by topic.
  Filled here from the stored articles; from then on the store's writer keeps it with the
  article (crawler/store/writer.py). Datasette's topic facets count it
  (deploy/datasette/plugins/desk.py).
* ``ix_articles_reported_story``: an article's time and story, the columns the counting
  views read of every article, in an index SQLite scans instead of the rows.
* ``daily_topics_v`` counts ``article_topics``; it and ``actors_v`` walk the articles
  through that index and find their topics and actors by article (the same columns and
  rows as migration 0011's).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 01:10:00

"""

from collections.abc import Sequence
from types import ModuleType

import sqlalchemy as sa
from alembic import context, op
from alembic.script import ScriptDirectory

# revision identifiers, used by Alembic.
revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Each stored article's topics, one row each with its place in the list.
FILL = {
    "sqlite": (
        "INSERT INTO article_topics (article_id, position, topic)"
        " SELECT a.id, t.key, t.value FROM articles a, json_each(a.topics) AS t"
    ),
    "postgresql": (
        "INSERT INTO article_topics (article_id, position, topic)"
        " SELECT a.id, t.ord - 1, t.value FROM articles a"
        " CROSS JOIN LATERAL json_array_elements_text(a.topics) WITH ORDINALITY AS t(value, ord)"
    ),
}
# The articles first (CROSS JOIN: SQLite keeps the order written), read through
# ix_articles_reported_story, then each article's rows by article_id: looked up the other
# way round, each topic or actor would cost a lookup in the wide articles table.
VIEWS: tuple[tuple[str, str], ...] = (
    (
        "actors_v",
        """
        SELECT aa.name, aa.kind, COUNT(DISTINCT aa.article_id) AS article_count,
               SUM(CASE WHEN aa.in_title THEN 1 ELSE 0 END) AS title_count,
               SUM(aa.mentions) AS mentions,
               COUNT(DISTINCT a.story_id) AS story_count,
               MIN(COALESCE(a.published_at, a.first_seen_at)) AS first_reported_at,
               MAX(COALESCE(a.published_at, a.first_seen_at)) AS last_reported_at
        FROM articles a CROSS JOIN article_actors aa
        WHERE aa.article_id = a.id
        GROUP BY aa.name, aa.kind
        """,
    ),
    (
        "daily_topics_v",
        """
        SELECT {day} AS day, t.topic AS topic, COUNT(*) AS article_count
        FROM articles a CROSS JOIN article_topics t
        WHERE t.article_id = a.id
        GROUP BY {day}, t.topic
        """,
    ),
)


def views_0011() -> ModuleType:
    """Migration 0011, for its definitions of the views this one replaces (downgrade)."""
    revision_0011 = ScriptDirectory.from_config(context.config).get_revision("0011")
    assert revision_0011 is not None
    return revision_0011.module


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "article_topics",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_topics_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "position", name=op.f("pk_article_topics")),
    )
    op.create_index("ix_article_topics_topic_article", "article_topics", ["topic", "article_id"])
    op.create_index("ix_articles_reported_story", "articles", ["published_at", "first_seen_at", "story_id"])
    op.execute(FILL[dialect])
    day = views_0011().DIALECT[dialect]["day"]  # a UTC day, as 0011 reckons it
    for name, body in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {name}")
        op.execute(f"CREATE VIEW {name} AS {body.format(day=day).strip()}")


def downgrade() -> None:
    old = views_0011()
    parts = dict(old.DIALECT[op.get_bind().dialect.name])
    for name, body in old.VIEWS:
        if name in dict(VIEWS):
            op.execute(f"DROP VIEW IF EXISTS {name}")
            op.execute(f"CREATE VIEW {name} AS {body.format(**parts).strip()}")
    op.drop_index("ix_articles_reported_story", table_name="articles")
    op.drop_index("ix_article_topics_topic_article", table_name="article_topics")
    op.drop_table("article_topics")
