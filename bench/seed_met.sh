#!/usr/bin/env bash
# Times `seed_demo --scale met` (50,000 people, ~500,000 allegations) on PostgreSQL.
#   bench/seed_met.sh            uses postgres://postgres@127.0.0.1:5432/bench_met (created if missing)
#   BENCH_DB=other bench/seed_met.sh
# Prints the command's progress and the wall-clock time; the row counts follow.
set -euo pipefail
cd "$(dirname "$0")/.."

DB="${BENCH_DB:-bench_met}"
PGURL="postgres://postgres@127.0.0.1:5432"
export DATABASE_URL="$PGURL/$DB" DEBUG=1
unset CELERY_BROKER_URL

if ! psql "$PGURL/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  createdb -h 127.0.0.1 -U postgres "$DB"
fi
.venv/bin/python manage.py migrate --no-input -v0

echo "seed_demo --scale met --reset on $(nproc) cores, $(psql "$PGURL/postgres" -tAc 'SHOW server_version')"
start=$(date +%s.%N)
.venv/bin/python manage.py seed_demo --scale met --reset
end=$(date +%s.%N)
printf 'wall clock: %.1f s\n' "$(echo "$end - $start" | bc)"

psql "$PGURL/$DB" -tA -F ' ' -c "
  SELECT 'officers', count(*) FROM cases_officer
  UNION ALL SELECT 'allegations', count(*) FROM cases_allegation
  UNION ALL SELECT 'cases', count(*) FROM cases_case
  UNION ALL SELECT 'onyx reviews', count(*) FROM cases_onyxreview
  UNION ALL SELECT 'clearances', count(*) FROM vetting_vettingclearance
  UNION ALL SELECT 'pnd checks', count(*) FROM vetting_pndcheck"
