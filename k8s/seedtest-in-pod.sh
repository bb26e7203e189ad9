#!/usr/bin/env bash
# Installed in the job image as /opt/seedtest/bin/seedtest: runs one job by hand inside a pod,
# with Spark in local mode in that one container (for small windows, --dry-run checks and
# debugging; scheduled and large runs go through the Spark Operator).
#   kubectl apply -f k8s/adhoc-pod.yaml
#   kubectl -n seedtest-analytics exec -it seedtest-adhoc -- \
#     /opt/seedtest/bin/seedtest compute-daily-kpis --date 2026-03-01 --dry-run
set -euo pipefail
# A --database-url flag is moved into the environment (the CLI reads SEEDTEST_DATABASE_URL_FLAG as
# that flag): a password on the command line would show in ps and in Spark's event log.
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --database-url) [[ $# -gt 1 ]] || { echo "seedtest: --database-url needs a value" >&2; exit 2; }
      export SEEDTEST_DATABASE_URL_FLAG="$2"; shift 2 ;;
    --database-url=*) export SEEDTEST_DATABASE_URL_FLAG="${1#--database-url=}"; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
exec /opt/spark/bin/spark-submit \
  --master "${SPARK_MASTER:-local[*]}" \
  --properties-file /opt/seedtest/conf/spark-defaults.conf \
  --driver-memory "${SEEDTEST_DRIVER_MEMORY:-2g}" \
  --driver-java-options "-Dlog4j2.configurationFile=file:///opt/seedtest/conf/log4j2.properties" \
  --class io.seedtest.analytics.cli.SeedtestCli \
  /opt/seedtest/seedtest-analytics.jar "${args[@]}"
