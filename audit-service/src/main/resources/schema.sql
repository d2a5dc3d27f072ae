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
