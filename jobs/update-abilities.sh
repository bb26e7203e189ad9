#!/usr/bin/env bash
# Session-end θ update -> mirt_ability, mirt_ability_history, session_ability_updates (docs/irt-online.md).
# usage: jobs/update-abilities.sh [--dry-run] [--strict] [--drift-per-day V] [--safety-lag-minutes M] [--max-sessions N]
# No date window: every run picks up the sessions finished since the job's watermark (PostgreSQL),
# or replays the lake's sessions after each student's calibration θ (embedded). Ad-hoc spark-submit
# runs; see jobs/README.md.
set -euo pipefail
# shellcheck source=jobs/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
seedtest_job_main update-abilities "$@"
