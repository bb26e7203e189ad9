#!/usr/bin/env bash
# Daily feature aggregation -> features_topic_daily (per user x topic x day).
# usage: jobs/aggregate-features-daily.sh [--date D | --from D --to D [--each-day]] [--dry-run] [--strict] ...
# Ad-hoc spark-submit runs and date-range backfills; see jobs/README.md.
set -euo pipefail
# shellcheck source=jobs/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
seedtest_job_main aggregate-features-daily "$@"
