"""The ledger's tables, as SQLAlchemy Core metadata, and the migrations that build them.

One definition serves SQLite and PostgreSQL: only portable column types are
used (no JSON or array columns; lists are stored as JSON text), so a ledger
moves between the two engines and a SQLite file reads well in Datasette.
Column names avoid SQL keywords, so hand-written SQL needs no quoting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    inspect,
    text,
)

metadata = MetaData()

schema_migrations = Table(
    "schema_migrations", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    Column("applied_at", DateTime, nullable=False),
)

runs = Table(
    "runs", metadata,
    Column("id", Integer, primary_key=True),
    Column("command", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime),
    Column("tolltrack_version", String(32), nullable=False),
    Column("extractor_version", String(32), nullable=False),
    Column("model", Text, nullable=False),
    Column("sources", Text, nullable=False),
    Column("articles", Integer, nullable=False, default=0),
    Column("skipped", Integer, nullable=False, default=0),
    Column("claims", Integer, nullable=False, default=0),
    Column("rejects", Integer, nullable=False, default=0),
)

articles = Table(
    "articles", metadata,
    Column("id", Text, primary_key=True),
    Column("content_hash", String(32), nullable=False, unique=True),
    Column("title", Text),
    Column("date", Date),
    Column("date_source", String(16)),
    Column("outlet", Text),
    Column("url", Text),
    Column("language", Text),
    Column("source", Text),
    Column("text", Text, nullable=False),
    Column("furniture", Text, nullable=False, default="[]"),
    # The first stored article of a group of near-identical copies (one agency
    # story reprinted by many outlets); null for an article that copies none.
    Column("copy_of", Text, ForeignKey("articles.id")),
    Column("extractor_version", String(32), nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Index("ix_articles_date", "date"),
    Index("ix_articles_copy_of", "copy_of"),
)

# Locality-sensitive hashes of each article's shingles: articles sharing a band
# hash are the candidates checked for being copies of one another.
article_bands = Table(
    "article_bands", metadata,
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"),
           primary_key=True),
    Column("band", Integer, primary_key=True, autoincrement=False),
    Column("hash", BigInteger, nullable=False),
    Index("ix_article_bands_lookup", "band", "hash"),
)

clusters = Table(
    "clusters", metadata,
    # A cluster's id is its first claim's id, so it is the same on every run.
    Column("id", Text, primary_key=True),
    Column("cluster_key", Text, nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("low", BigInteger),
    Column("high", BigInteger),
    Column("qualifier", String(16), nullable=False),
    Column("claimant_text", Text, nullable=False),
    Column("claimant_code", Text),
    Column("claimant_type", String(16)),
    Column("victim_country", Text),
    Column("victim_type", String(16)),
    Column("first_date", Date),
    Column("last_date", Date),
    Column("first_article_id", Text, nullable=False),
    Index("ix_clusters_key_date", "cluster_key", "first_date"),
    Column("article_count", Integer, nullable=False),
    Column("outlet_count", Integer, nullable=False),
    # Articles once wire copies count as one: independent pieces of evidence.
    Column("source_count", Integer, nullable=False),
    Column("outlets", Text, nullable=False),
)

claims = Table(
    "claims", metadata,
    # "<article id>-<n>": the n-th claim of the article, the same on every run.
    Column("id", Text, primary_key=True),
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"),
           nullable=False),
    Column("ordinal", Integer, nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("low", BigInteger),
    Column("high", BigInteger),
    Column("qualifier", String(16), nullable=False),
    Column("figure_text", Text, nullable=False),
    Column("victim_text", Text, nullable=False),
    Column("victim_country", Text),
    Column("victim_type", String(16), nullable=False),
    Column("claimant_text", Text, nullable=False),
    Column("claimant_code", Text),
    Column("claimant_type", String(16)),
    Column("status", String(16), nullable=False),
    Column("unverified", Boolean, nullable=False),
    Column("scope", String(16), nullable=False),
    Column("location_text", Text),
    Column("location_country", Text),
    Column("location_name", Text),
    Column("location_lat", Float),
    Column("location_lon", Float),
    Column("location_geonames_id", Integer),
    Column("as_of", Date),
    Column("period_start", Date),
    Column("perpetrator_text", Text),
    Column("perpetrator_code", Text),
    Column("perpetrator_type", String(16)),
    # The date the claim stands for: as_of, else the article's date. Stored so
    # that date filters, clusters and series need no join.
    Column("claim_date", Date),
    # The first mention's sentence.
    Column("evidence", Text, nullable=False),
    # The claimant's text case-folded once when stored, so that the claimant
    # filter is one plain LIKE that folds non-ASCII letters the same way on
    # SQLite and PostgreSQL.
    Column("claimant_folded", Text, nullable=False),
    Column("cluster_key", Text, nullable=False),
    Column("cluster_id", Text),
    Column("extractor_version", String(32), nullable=False),
    # The latest review's verdict (confirmed, corrected, rejected), None while
    # unreviewed. A corrected claim's columns hold the corrected values; the
    # extracted ones are kept in its reviews.
    Column("review", String(16)),
    Index("ix_claims_article", "article_id"),
    Index("ix_claims_victim", "victim_country", "victim_type"),
    Index("ix_claims_claimant", "claimant_code"),
    Index("ix_claims_date", "claim_date"),
    # The order claims are listed in (undated last), alone and within an outcome,
    # so that a page of them is read from an index rather than sorted.
    Index("ix_claims_listed", text("(claim_date IS NULL)"), "claim_date", "article_id",
          "ordinal"),
    Index("ix_claims_outcome_listed", "outcome", text("(claim_date IS NULL)"), "claim_date",
          "article_id", "ordinal"),
    Index("ix_claims_cluster_key", "cluster_key", "claim_date"),
    Index("ix_claims_cluster", "cluster_id"),
    Index("ix_claims_review", "review"),
)

# What --search looks in (the evidence, claimant, victims and place), case-
# folded, in a narrow table of its own: a search reads every row, and these rows
# are a fraction of a claim's.
claim_search = Table(
    "claim_search", metadata,
    Column("claim_id", Text, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("search_text", Text, nullable=False),
)

mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True),
    Column("claim_id", Text, ForeignKey("claims.id", ondelete="CASCADE"),
           nullable=False),
    Column("sentence", Text, nullable=False),
    # Character offsets into articles.text (the spec's mention start and end).
    Column("char_start", Integer, nullable=False),
    Column("char_end", Integer, nullable=False),
    Index("ix_mentions_claim", "claim_id"),
)

rejects = Table(
    "rejects", metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("source", Text, nullable=False),
    # 0 when the reject is not tied to a line; never null, so that the unique
    # constraint below also holds for whole-file rejects.
    Column("line", Integer, nullable=False, default=0),
    Column("reason", String(32), nullable=False),
    # Names the article where the reject is about one ("article id 'x' …"), so
    # that several articles of one file are several rejects.
    Column("message", Text, nullable=False),
    UniqueConstraint("source", "line", "reason", "message", name="uq_rejects_input"),
)


# Every review of a claim, oldest first, never updated or deleted: who said what
# about it, and the claim's columns before and after.
reviews = Table(
    "reviews", metadata,
    Column("id", Integer, primary_key=True),
    # No foreign key: the log outlives the claim rows it speaks of.
    Column("claim_id", Text, nullable=False),
    Column("verdict", String(16), nullable=False),
    Column("fields", Text, nullable=False),  # JSON: the corrected columns
    Column("before", Text, nullable=False),  # JSON: the columns as they were
    Column("note", Text, nullable=False),
    Column("reviewer", Text),
    Column("created_at", DateTime, nullable=False),
    Index("ix_reviews_claim", "claim_id", "id"),
)

# One row per named counter. ``generation`` goes up with every committed change,
# so a reader can tell cheaply whether what it read before is still current.
ledger_state = Table(
    "ledger_state", metadata,
    Column("name", String(32), primary_key=True),
    Column("value", BigInteger, nullable=False),
)


@dataclass(frozen=True)
class Migration:
    """One named, numbered schema change, applied inside a transaction."""

    version: int
    name: str
    apply: Callable[[Connection], None]


_FIRST_TABLES = ("runs", "articles", "article_bands", "clusters", "claims", "claim_search",
                 "mentions", "rejects")


def _create_tables(conn: Connection) -> None:
    # A new ledger gets these tables in their current shape at once; each later
    # migration brings an older ledger up to that shape and skips what is there.
    metadata.create_all(conn, tables=[metadata.tables[name] for name in _FIRST_TABLES])


def _add_reviews(conn: Connection) -> None:
    if "review" not in {c["name"] for c in inspect(conn).get_columns("claims")}:
        conn.execute(text("ALTER TABLE claims ADD COLUMN review VARCHAR(16)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_claims_review ON claims (review)"))
    metadata.create_all(conn, tables=[reviews, ledger_state])
    conn.execute(ledger_state.insert().values(name="generation", value=0))


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "articles, claims, mentions, clusters, rejects and runs", _create_tables),
    Migration(2, "reviews of claims, and the ledger's generation", _add_reviews),
)

SCHEMA_VERSION = MIGRATIONS[-1].version
