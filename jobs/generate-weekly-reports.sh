#!/usr/bin/env bash
# Weekly student reports -> S3 (or <lake>/reports), report_artifact, report_recommendations.
# usage: jobs/generate-weekly-reports.sh [--date D | --from D --to D] [--locale ko|en] [--dry-run] ...
# A run renders one week (the 7 days ending on --date). --from/--to is a backfill over past weeks:
# one run per week ending on --to, --to - 7 days, ... (not before --from), oldest first, stopping
# at the first failure. Reruns are cheap: unchanged reports are not stored again (docs/reports.md).
set -euo pipefail
# shellcheck source=jobs/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
# Reports in S3 need the AWS SDK jars beside the app's.
if [[ "${SEEDTEST_REPORTS_URL:-}" == s3://* || "${SEEDTEST_REPORTS_URL:-}" == s3a://* ]]; then
  export SEEDTEST_WITH_S3="${SEEDTEST_WITH_S3:-1}"
fi

from="" to="" rest=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --from) [[ $# -gt 1 ]] || seedtest_die "--from needs a date"; from="$2"; shift 2 ;;
    --to) [[ $# -gt 1 ]] || seedtest_die "--to needs a date"; to="$2"; shift 2 ;;
    *) rest+=("$1"); shift ;;
  esac
done
if [[ -z "$from" && -z "$to" ]]; then
  seedtest_job_main generate-weekly-reports "${rest[@]}"
  exit $?
fi
[[ -n "$from" && -n "$to" ]] || seedtest_die "a backfill needs both --from and --to"
SEEDTEST_JOB=generate-weekly-reports
from="$(seedtest_check_date "$from")" || seedtest_die "not a date (YYYY-MM-DD): --from"
to="$(seedtest_check_date "$to")" || seedtest_die "not a date (YYYY-MM-DD): --to"
weeks=() d="$to"
while [[ "$d" > "$from" || "$d" == "$from" ]]; do
  weeks=("$d" "${weeks[@]}")
  d="$(date -u -d "$d - 7 days" +%F)"
done
for d in "${weeks[@]}"; do
  seedtest_note "=== generate-weekly-reports --date $d ==="
  if ! seedtest_job_main generate-weekly-reports --date "$d" "${rest[@]}"; then
    seedtest_note "failed on the week ending $d; resume with: jobs/generate-weekly-reports.sh --from $d --to $to"
    exit 1
  fi
done
