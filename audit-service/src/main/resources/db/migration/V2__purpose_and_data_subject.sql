-- Calls to personal-data services name a purpose of use and may name their data subject; the log keeps the
-- purpose and the gateway's keyed digest of the subject's identity number, never the number (docs/citizen.md).
ALTER TABLE transaction_log ADD COLUMN purpose TEXT;
ALTER TABLE transaction_log ADD COLUMN subject_digest TEXT;

-- a citizen's report reads one subject's transactions newest first; most transactions name none
CREATE INDEX transaction_log_subject ON transaction_log (subject_digest, started_at) WHERE subject_digest IS NOT NULL;
