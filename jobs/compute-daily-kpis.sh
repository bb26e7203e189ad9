#!/usr/bin/env bash
# Daily KPIs -> weekly_kpi (A_t, I_t, E_t, R_t, P, S per student) and churn_models.
# usage: jobs/compute-daily-kpis.sh [--date D | --from D --to D [--each-day]] [--dry-run] [--strict] ...
# Ad-hoc spark-submit runs and date-range backfills; see jobs/README.md. Backfill in date order
# (--each-day): each night trains the churn model the next day uses.
set -euo pipefail
# shellcheck source=jobs/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
seedtest_job_main compute-daily-kpis "$@"
