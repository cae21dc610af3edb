#!/bin/sh
# One-shot (docker-compose service `timescaledb-reader`): lets Grafana's PostgreSQL data source
# (uid flowatlas-timescaledb, provisioning/datasources/datasources.yml) log in as the read-only
# role flowatlas_reader that the proxy's migrations grant SELECT on the aggregate views
# (backend-proxy/src/db/migrations/005-reader-role.ts). The migration creates the role without
# a login on purpose (it must not invent credentials); this gives it the password from
# FLOWATLAS_READER_PASSWORD (.env). Idempotent: runs on every `docker compose up`, so changing
# the password in .env and restarting rotates it. Connects with the libpq PG* variables.
set -eu
: "${FLOWATLAS_READER_PASSWORD:?set FLOWATLAS_READER_PASSWORD in .env (see provisioning/flowatlas.env.example)}"

# psql quotes :'password' as a literal; the role attributes are those of migration 005.
psql -v ON_ERROR_STOP=1 -v password="$FLOWATLAS_READER_PASSWORD" <<'SQL'
SELECT 'CREATE ROLE flowatlas_reader NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'flowatlas_reader') \gexec
ALTER ROLE flowatlas_reader WITH LOGIN PASSWORD :'password';
SQL
echo "flowatlas_reader can log in (Grafana alert rules: uid flowatlas-timescaledb)"
