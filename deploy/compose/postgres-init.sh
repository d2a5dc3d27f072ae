#!/usr/bin/env bash
# Audit's roles and database, made once by the postgres image at its first start (docker-entrypoint-initdb.d):
# the same roles and rights deploy/run makes (ndx_audit owns ndx_audit; ndx_analyst may read it, nothing more).
set -euo pipefail
# the passwords are read by psql itself (\set with a backquoted command), never put on a command line where
# any process of the container could read them
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<'SQL'
\set audit `cat /run/secrets/postgres-audit`
\set analyst `cat /run/secrets/postgres-analyst`
CREATE ROLE ndx_audit LOGIN PASSWORD :'audit';
CREATE ROLE ndx_analyst LOGIN PASSWORD :'analyst';
CREATE DATABASE ndx_audit OWNER ndx_audit;
REVOKE ALL ON DATABASE ndx_audit FROM PUBLIC;
GRANT CONNECT ON DATABASE ndx_audit TO ndx_audit, ndx_analyst;
REVOKE CONNECT ON DATABASE postgres FROM PUBLIC;
\connect ndx_audit
GRANT USAGE ON SCHEMA public TO ndx_analyst;
ALTER DEFAULT PRIVILEGES FOR ROLE ndx_audit IN SCHEMA public GRANT SELECT ON TABLES TO ndx_analyst;
SQL
