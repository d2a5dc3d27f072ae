-- One row per transaction ever counted: the primary key is what makes counting exactly once.
CREATE TABLE IF NOT EXISTS transaction_log (
    transaction_id  VARCHAR NOT NULL PRIMARY KEY,
    calendar_day    DATE NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    kind            VARCHAR NOT NULL,
    outcome         VARCHAR NOT NULL,
    status          INT NOT NULL,
    consumer_agency VARCHAR,
    consumer_system VARCHAR,
    client_id       VARCHAR,
    provider_agency VARCHAR,
    provider_system VARCHAR,
    service         VARCHAR,
    method          VARCHAR,
    problem_code    VARCHAR,
    request_bytes   BIGINT NOT NULL,
    response_bytes  BIGINT NOT NULL,
    duration_micros BIGINT NOT NULL,
    emitter         VARCHAR NOT NULL
);
CREATE INDEX IF NOT EXISTS transaction_log_day ON transaction_log (calendar_day);
-- digests of the bodies (never the bodies): added after the first release, hence ALTER
ALTER TABLE transaction_log ADD COLUMN IF NOT EXISTS request_digest VARCHAR;
ALTER TABLE transaction_log ADD COLUMN IF NOT EXISTS response_digest VARCHAR;
-- Tamper evidence (added after the first release, hence ALTER): each transaction's place in one hash
-- chain, in counting order; docs/audit.md defines the hashed text. Rows counted before have no seq and
-- are outside the chain.
ALTER TABLE transaction_log ADD COLUMN IF NOT EXISTS seq BIGINT;
ALTER TABLE transaction_log ADD COLUMN IF NOT EXISTS counted_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE transaction_log ADD COLUMN IF NOT EXISTS prev_hash VARCHAR;
ALTER TABLE transaction_log ADD COLUMN IF NOT EXISTS entry_hash VARCHAR;
CREATE UNIQUE INDEX IF NOT EXISTS transaction_log_seq ON transaction_log (seq);
-- the search by time (and agency, service, outcome within it)
CREATE INDEX IF NOT EXISTS transaction_log_started ON transaction_log (started_at);

-- Totals per day and dimension; '' stands for an unknown party (a call refused before it was known).
CREATE TABLE IF NOT EXISTS daily_counts (
    calendar_day    DATE NOT NULL,
    kind            VARCHAR NOT NULL,
    outcome         VARCHAR NOT NULL,
    consumer_agency VARCHAR NOT NULL,
    provider_agency VARCHAR NOT NULL,
    service         VARCHAR NOT NULL,
    total           BIGINT NOT NULL,
    PRIMARY KEY (calendar_day, kind, outcome, consumer_agency, provider_agency, service)
);

-- Where counting stands in each partition, committed with the counts it produced.
CREATE TABLE IF NOT EXISTS consumer_offsets (
    topic        VARCHAR NOT NULL,
    partition_id INT NOT NULL,
    next_offset  BIGINT NOT NULL,
    PRIMARY KEY (topic, partition_id)
);

-- Every administrative change of the registry, once (the change id is the key): who, what, when.
CREATE TABLE IF NOT EXISTS registry_changes (
    change_id VARCHAR NOT NULL PRIMARY KEY,
    changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    actor     VARCHAR NOT NULL,
    action    VARCHAR NOT NULL,
    entity    VARCHAR NOT NULL,
    agency    VARCHAR,
    version   BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS registry_changes_at ON registry_changes (changed_at);

-- The end of the hash chain: one row, locked by every counting transaction, so entries are linked in
-- one order however many partitions are counted.
CREATE TABLE IF NOT EXISTS chain_head (
    id         INT NOT NULL PRIMARY KEY,
    last_seq   BIGINT NOT NULL,
    last_hash  VARCHAR NOT NULL,
    counted_at TIMESTAMP WITH TIME ZONE
);
INSERT INTO chain_head (id, last_seq, last_hash, counted_at)
    SELECT 1, 0, '0000000000000000000000000000000000000000000000000000000000000000', NULL FROM DUAL
    WHERE NOT EXISTS (SELECT 1 FROM chain_head);

-- One row per Asia/Ho_Chi_Minh day of counting: the entries linked that day and the hash of the last one
-- (the day's root, for publication). Kept forever, also once retention has pruned the entries.
CREATE TABLE IF NOT EXISTS chain_days (
    chain_day DATE NOT NULL PRIMARY KEY,
    first_seq BIGINT NOT NULL,
    last_seq  BIGINT NOT NULL,
    root      VARCHAR NOT NULL,
    pruned    BOOLEAN DEFAULT FALSE NOT NULL
);

-- Totals from before the platform (a day or a month each), counted in totals, never in the chain.
CREATE TABLE IF NOT EXISTS imported_totals (
    period      VARCHAR NOT NULL PRIMARY KEY,
    first_day   DATE NOT NULL,
    last_day    DATE NOT NULL,
    total       BIGINT NOT NULL,
    as_of       TIMESTAMP WITH TIME ZONE,
    source      VARCHAR,
    imported_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX IF NOT EXISTS imported_totals_days ON imported_totals (first_day, last_day);

-- Things done once in the life of a database (the first-start history import).
CREATE TABLE IF NOT EXISTS audit_milestones (
    name       VARCHAR NOT NULL PRIMARY KEY,
    reached_at TIMESTAMP WITH TIME ZONE NOT NULL
);
