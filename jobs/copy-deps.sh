#!/usr/bin/env bash
# Copies the jars seedtest-analytics needs on top of a Spark 4.2 distribution into OUT_DIR:
#
#   OUT_DIR/app/  our non-Spark runtime deps: delta-spark, delta-storage (+ delta-kernel,
#                 unitycatalog client), postgresql, picocli, flyway, HikariCP and Prometheus
#                 client_java (serve's pool and metrics) (+ small transitive jars)
#   OUT_DIR/s3/   hadoop-aws and the AWS SDK v2 bundle it needs for s3a:// (the bundle is large,
#                 ~600 MB, so callers add it only when they touch S3)
#
# usage: jobs/copy-deps.sh [--only app|s3] OUT_DIR [extra Maven args]     (default: both)
# Used by jobs/lib.sh (spark-submit --jars) and by k8s/Dockerfile (the job image).
#
# How the split is made: `dependency:copy-dependencies -DincludeScope=runtime` yields our
# compile+runtime deps, but Maven also lists there the jars delta-spark shares with Spark
# (scala-library, hadoop-client-*, parquet, jackson-core, log4j, slf4j, ...). Spark already
# ships those (the same versions, since both come from Spark 4.2.0's dependency tree); a second
# copy would only risk class conflicts, so their groups are excluded below. hadoop-aws is
# 'provided' in the pom (Spark's image lacks it, but tests run with it), so it and its AWS SDK
# bundle are copied by a second, narrow call over the provided scope.
set -euo pipefail

usage() { echo "usage: $0 [--only app|s3] OUT_DIR [maven args]" >&2; exit 2; }
WANT="app s3"
if [[ "${1:-}" == --only ]]; then
  [[ "${2:-}" == app || "${2:-}" == s3 ]] || usage
  WANT="$2"; shift 2
fi
[[ $# -ge 1 && "$1" != -* ]] || usage
OUT="$1"; shift
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"

# Groups Spark 4.2.0's distribution already ships (jars/ of the apache/spark image).
SPARK_SHIPPED_GROUPS="org.apache.spark,org.scala-lang,org.apache.hadoop,org.apache.parquet,\
com.fasterxml.jackson.core,org.apache.logging.log4j,org.slf4j,org.xerial.snappy,\
org.roaringbitmap,com.google.code.findbugs,io.airlift,org.locationtech.jts,javax.annotation"

# s3a:// support: hadoop-aws (matches Spark 4.2's Hadoop 3.5.0) and what it pulls in.
S3_GROUPS="org.apache.hadoop,software.amazon.awssdk,software.amazon.s3.analyticsaccelerator,org.wildfly.openssl"
S3_ARTIFACTS="hadoop-aws,bundle,analyticsaccelerator-s3,wildfly-openssl"

copy_app() {
  rm -rf "$OUT/app"
  mkdir -p "$OUT/app"
  mvn -q -B -Dstyle.color=never -f "$ROOT/pom.xml" "${MVN_ARGS[@]}" dependency:copy-dependencies \
    -DincludeScope=runtime \
    -DexcludeGroupIds="$SPARK_SHIPPED_GROUPS" \
    -DoutputDirectory="$OUT/app" >&2
  echo "copied $(ls "$OUT/app" | wc -l) jars to $OUT/app" >&2
}

copy_s3() {
  rm -rf "$OUT/s3"
  mkdir -p "$OUT/s3"
  mvn -q -B -Dstyle.color=never -f "$ROOT/pom.xml" "${MVN_ARGS[@]}" dependency:copy-dependencies \
    -DincludeScope=provided \
    -DincludeGroupIds="$S3_GROUPS" \
    -DincludeArtifactIds="$S3_ARTIFACTS" \
    -DoutputDirectory="$OUT/s3" >&2
  echo "copied $(ls "$OUT/s3" | wc -l) jars to $OUT/s3" >&2
}

MVN_ARGS=("$@")
for part in $WANT; do
  "copy_$part"
done
