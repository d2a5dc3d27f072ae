-- Audit's store on PostgreSQL. Flyway applies each migration once, in order, in its own transaction; a
-- released migration is never edited: a change is a new V<n>__ file.

-- One row per transaction ever counted: the primary key is what makes counting exactly once. Each row is
-- also an entry of one hash chain, in counting order (docs/audit.md defines the hashed text).
CREATE TABLE transaction_log (
    transaction_id  TEXT NOT NULL PRIMARY KEY,
    calendar_day    DATE NOT NULL,
    started_at      TIMESTAMPTZ NOT NULL,
    kind            TEXT NOT NULL,
    outcome         TEXT NOT NULL,
    status          INT NOT NULL,
    consumer_agency TEXT,
    consumer_system TEXT,
    client_id       TEXT,
    provider_agency TEXT,
    provider_system TEXT,
    service         TEXT,
    method          TEXT,
    problem_code    TEXT,
    request_bytes   BIGINT NOT NULL,
    response_bytes  BIGINT NOT NULL,
    duration_micros BIGINT NOT NULL,
    emitter         TEXT NOT NULL,
    -- digests of the bodies, never the bodies
    request_digest  TEXT,
    response_digest TEXT,
    seq             BIGINT NOT NULL,
    counted_at      TIMESTAMPTZ NOT NULL,
    prev_hash       TEXT NOT NULL,
    entry_hash      TEXT NOT NULL
);
CREATE UNIQUE INDEX transaction_log_seq ON transaction_log (seq);
CREATE INDEX transaction_log_day ON transaction_log (calendar_day);
-- the search by time (and agency, service, outcome within it)
CREATE INDEX transaction_log_started ON transaction_log (started_at);

-- Totals per day and dimension; '' stands for an unknown party (a call refused before it was known).
CREATE TABLE daily_counts (
    calendar_day    DATE NOT NULL,
    kind            TEXT NOT NULL,
    outcome         TEXT NOT NULL,
    consumer_agency TEXT NOT NULL,
    provider_agency TEXT NOT NULL,
    service         TEXT NOT NULL,
    total           BIGINT NOT NULL,
    PRIMARY KEY (calendar_day, kind, outcome, consumer_agency, provider_agency, service)
);

-- Where counting stands in each partition, committed with the counts it produced (none yet: NULL). The
-- epoch is the fencing token: an instance takes a partition by raising it, and commits for it only while
-- the epoch is still the one it took; owner says which instance that is, for operators.
CREATE TABLE consumer_offsets (
    topic        TEXT NOT NULL,
    partition_id INT NOT NULL,
    next_offset  BIGINT,
    epoch        BIGINT NOT NULL,
    owner        TEXT NOT NULL,
    PRIMARY KEY (topic, partition_id)
);

-- Every administrative change of the registry, once (the change id is the key): who, what, when.
CREATE TABLE registry_changes (
    change_id  TEXT NOT NULL PRIMARY KEY,
    changed_at TIMESTAMPTZ NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    agency     TEXT,
    version    BIGINT NOT NULL
);
CREATE INDEX registry_changes_at ON registry_changes (changed_at);

-- The end of the hash chain: one row, locked by every counting transaction of every instance, so entries
-- are linked in one order however many partitions and instances count.
CREATE TABLE chain_head (
    id         INT NOT NULL PRIMARY KEY CHECK (id = 1),
    last_seq   BIGINT NOT NULL,
    last_hash  TEXT NOT NULL,
    counted_at TIMESTAMPTZ
);
INSERT INTO chain_head (id, last_seq, last_hash, counted_at)
    VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', NULL);

-- One row per Asia/Ho_Chi_Minh day of counting: the entries linked that day and the hash of the last one
-- (the day's root, for publication). Kept forever, also once retention has pruned the entries.
CREATE TABLE chain_days (
    chain_day DATE NOT NULL PRIMARY KEY,
    first_seq BIGINT NOT NULL,
    last_seq  BIGINT NOT NULL,
    root      TEXT NOT NULL,
    pruned    BOOLEAN NOT NULL DEFAULT FALSE
);

-- Totals from before the platform (a day or a month each), counted in totals, never in the chain.
CREATE TABLE imported_totals (
    period      TEXT NOT NULL PRIMARY KEY,
    first_day   DATE NOT NULL,
    last_day    DATE NOT NULL,
    total       BIGINT NOT NULL,
    as_of       TIMESTAMPTZ,
    source      TEXT,
    imported_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX imported_totals_days ON imported_totals (first_day, last_day);

-- Things done once in the life of a database (the first-start history import).
CREATE TABLE audit_milestones (
    name       TEXT NOT NULL PRIMARY KEY,
    reached_at TIMESTAMPTZ NOT NULL
);
