#!/usr/bin/env bash
# The inactivity trigger -> inactivity_events (7-day crossings and returns, each once) and the
# KPIs of those students in weekly_kpi, recomputed at once.
# usage: jobs/detect-inactivity.sh [--date D] [--dry-run] ...   (default: today, UTC, inputs up to now)
# Ad-hoc spark-submit runs; see jobs/README.md. One day per run (no --from/--to).
set -euo pipefail
# shellcheck source=jobs/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
seedtest_job_main detect-inactivity "$@"
