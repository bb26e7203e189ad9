# shellcheck shell=bash
# Shared launcher logic for jobs/*.sh. Source it, then call: seedtest_job_main JOB "$@"
#
# A launcher runs one CLI subcommand (JOB) either
#   - through spark-submit, when SPARK_HOME is set or spark-submit is on PATH: the thin jar
#     (mvn package) plus our non-Spark deps as --jars (jobs/copy-deps.sh -> target/deps), with
#     conf/spark-defaults.conf as the properties file; or
#   - through bin/seedtest (an in-process local[*] Spark from the Maven classpath) otherwise.
#
# --database-url URL is moved into the environment (SEEDTEST_DATABASE_URL_FLAG, read by the CLI as
# that flag) so a password never appears on a command line; prefer DATABASE_URL from a Secret.
#
# Window flags: --date D | --from D --to D are passed to the CLI as they are, so one run covers
# the range. With --each-day the launcher runs the job once per day of the range instead, in
# order, stops at the first failure and prints the command that resumes from that day. Every
# job is idempotent per window (upsert / MERGE), so re-running a day is safe.
#
# Environment:
#   SPARK_HOME / spark-submit    where spark-submit is found (SPARK_HOME wins)
#   SEEDTEST_LAUNCHER=local      force bin/seedtest even when spark-submit exists
#   SPARK_MASTER                 --master for spark-submit (default: the properties file's, else local[*])
#   SEEDTEST_DRIVER_MEMORY       driver heap (default 4g)
#   SEEDTEST_SPARK_SUBMIT_ARGS   extra spark-submit flags, word-split (e.g. "--executor-memory 4g")
#   SEEDTEST_WITH_S3=1|0         add hadoop-aws + AWS SDK to --jars (default: 1 when SEEDTEST_LAKE is s3a://)
#   SEEDTEST_MVN_ARGS            extra Maven flags for the build steps (e.g. "-o")
#   SEEDTEST_DRY_LAUNCH=1        print the command(s) instead of running them
#   SEEDTEST_ENV=NAME            load conf/env/NAME.env first (variables already set win)

SEEDTEST_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
SEEDTEST_MAIN_CLASS="io.seedtest.analytics.cli.SeedtestCli"

seedtest_die() { echo "${SEEDTEST_JOB:-jobs}: $*" >&2; exit 1; }
seedtest_note() { echo "${SEEDTEST_JOB:-jobs}: $*" >&2; }

# Exports KEY=VALUE lines of conf/env/$SEEDTEST_ENV.env that are not set yet (as bin/seedtest does).
seedtest_load_env() {
  [[ -n "${SEEDTEST_ENV:-}" ]] || return 0
  local file="$SEEDTEST_ROOT/conf/env/$SEEDTEST_ENV.env" line key value
  [[ -f "$file" ]] || seedtest_die "SEEDTEST_ENV=$SEEDTEST_ENV but $file does not exist"
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
    [[ "$line" =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || seedtest_die "$file: cannot read line: $line"
    key="${BASH_REMATCH[1]}" value="${BASH_REMATCH[2]}"
    [[ "$value" =~ ^\"(.*)\"$ || "$value" =~ ^\'(.*)\'$ ]] && value="${BASH_REMATCH[1]}"
    [[ -z "${!key+x}" ]] && export "$key=$value"
  done < "$file"
  return 0
}

# Prints D if it is a real calendar date in YYYY-MM-DD form, else fails.
seedtest_check_date() {
  local d="$1" norm
  [[ "$d" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || return 1
  norm="$(date -u -d "$d" +%F 2>/dev/null)" || return 1
  [[ "$norm" == "$d" ]] || return 1
  echo "$d"
}

# Prints every date from FROM to TO inclusive, one a line (UTC calendar days).
seedtest_date_range() {
  local from to d
  from="$(seedtest_check_date "$1")" || seedtest_die "not a date (YYYY-MM-DD): $1"
  to="$(seedtest_check_date "$2")" || seedtest_die "not a date (YYYY-MM-DD): $2"
  [[ "$from" < "$to" || "$from" == "$to" ]] || seedtest_die "--from $from is after --to $to"
  d="$from"
  while [[ "$d" < "$to" || "$d" == "$to" ]]; do
    echo "$d"
    d="$(date -u -d "$d + 1 day" +%F)"
  done
}

seedtest_spark_submit_bin() {
  if [[ -n "${SPARK_HOME:-}" ]]; then
    [[ -x "$SPARK_HOME/bin/spark-submit" ]] || seedtest_die "SPARK_HOME=$SPARK_HOME has no bin/spark-submit"
    echo "$SPARK_HOME/bin/spark-submit"
  else
    command -v spark-submit 2>/dev/null
  fi
}

seedtest_mvn() {
  command -v mvn >/dev/null 2>&1 || seedtest_die "mvn not found (install Maven)"
  # shellcheck disable=SC2086
  mvn -q -B -Dstyle.color=never -f "$SEEDTEST_ROOT/pom.xml" ${SEEDTEST_MVN_ARGS:-} "$@" >&2
}

# Prints the thin application jar (target/seedtest-analytics-<version>.jar) if it exists.
seedtest_find_jar() {
  local f
  for f in "$SEEDTEST_ROOT"/target/seedtest-analytics-*.jar; do
    [[ -f "$f" && "$f" != *-sources.jar && "$f" != *-tests.jar ]] && { echo "$f"; return 0; }
  done
  return 1
}

# The thin application jar (our classes only), rebuilt when src/main or pom.xml changed.
seedtest_thin_jar() {
  local jar
  jar="$(seedtest_find_jar || true)"
  if [[ -z "$jar" || -n "$(find "$SEEDTEST_ROOT/src/main" "$SEEDTEST_ROOT/pom.xml" -newer "$jar" -print -quit)" ]]; then
    seedtest_note "building the application jar (mvn package) ..."
    seedtest_mvn -Dmaven.test.skip=true package || seedtest_die "mvn package failed"
    jar="$(seedtest_find_jar)" || seedtest_die "mvn package made no target/seedtest-analytics-*.jar"
  fi
  echo "$jar"
}

# Copies runtime deps (part app or s3) into target/deps/PART once per pom.xml change.
seedtest_deps() {
  local part="$1" dir="$SEEDTEST_ROOT/target/deps"
  if [[ ! -f "$dir/.$part-stamp" || "$SEEDTEST_ROOT/pom.xml" -nt "$dir/.$part-stamp" ]]; then
    seedtest_note "copying $part dependencies to target/deps/$part ..."
    # shellcheck disable=SC2086
    bash "$SEEDTEST_ROOT/jobs/copy-deps.sh" --only "$part" "$dir" ${SEEDTEST_MVN_ARGS:-} >&2 \
      || seedtest_die "copying dependencies failed"
    touch "$dir/.$part-stamp"
  fi
  local jars=("$dir/$part"/*.jar)
  local IFS=,
  echo "${jars[*]}"
}

seedtest_want_s3() {
  case "${SEEDTEST_WITH_S3:-}" in
    1|true) return 0 ;;
    0|false) return 1 ;;
  esac
  [[ "${SEEDTEST_LAKE:-}" == s3a://* || " $* " == *" s3a://"* || " $* " == *"=s3a://"* ]]
}

# Builds the command that runs JOB with ARGS, into the array SEEDTEST_CMD.
seedtest_build_command() {
  local job="$1"; shift
  local submit
  submit="$(seedtest_spark_submit_bin || true)"
  if [[ "${SEEDTEST_LAUNCHER:-}" == local || -z "$submit" ]]; then
    SEEDTEST_CMD=("$SEEDTEST_ROOT/bin/seedtest" "$job" "$@")
    return
  fi
  local jar jars
  jar="$(seedtest_thin_jar)"
  jars="$(seedtest_deps app)"
  if seedtest_want_s3 "$@"; then
    jars="$jars,$(seedtest_deps s3)"
  fi
  SEEDTEST_CMD=("$submit"
    --class "$SEEDTEST_MAIN_CLASS"
    --name "seedtest-$job"
    --properties-file "$SEEDTEST_ROOT/conf/spark-defaults.conf"
    --driver-memory "${SEEDTEST_DRIVER_MEMORY:-4g}"
    --driver-java-options "-Dlog4j2.configurationFile=file:$SEEDTEST_ROOT/conf/log4j2.properties"
    --jars "$jars")
  if [[ -n "${SPARK_MASTER:-}" ]]; then
    SEEDTEST_CMD+=(--master "$SPARK_MASTER")
  fi
  # shellcheck disable=SC2206
  local extra=(${SEEDTEST_SPARK_SUBMIT_ARGS:-})
  SEEDTEST_CMD+=("${extra[@]}" "$jar" "$job" "$@")
}

seedtest_run() {
  if [[ "${SEEDTEST_DRY_LAUNCH:-0}" == 1 ]]; then
    printf '%q ' "${SEEDTEST_CMD[@]}"
    echo
    return 0
  fi
  "${SEEDTEST_CMD[@]}"
}

seedtest_usage() {
  cat >&2 <<EOF
usage: jobs/$1.sh [--date D | --from D --to D [--each-day]] [other flags of '$1']

Runs '$1' through spark-submit when SPARK_HOME is set or spark-submit is on PATH,
else locally through bin/seedtest. Dates are YYYY-MM-DD (UTC).
  --each-day   run the job once per day of --from..--to, in order, stopping at the first failure
Other flags (--dry-run, --strict, --database-url, --lake, ...) go to the job unchanged;
see: bin/seedtest $1 --help. Environment: see jobs/README.md.
EOF
}

# Entry point of every launcher: seedtest_job_main JOB "$@"
seedtest_job_main() {
  local job="$1"; shift
  SEEDTEST_JOB="$job"
  seedtest_load_env
  local from="" to="" each_day=0 args=() a
  while [[ $# -gt 0 ]]; do
    a="$1"; shift
    case "$a" in
      -h|--help) seedtest_usage "$job"; return 0 ;;
      --each-day) each_day=1 ;;
      --from) [[ $# -gt 0 ]] || seedtest_die "--from needs a date"; from="$1"; args+=("$a" "$1"); shift ;;
      --from=*) from="${a#--from=}"; args+=("$a") ;;
      --to) [[ $# -gt 0 ]] || seedtest_die "--to needs a date"; to="$1"; args+=("$a" "$1"); shift ;;
      --to=*) to="${a#--to=}"; args+=("$a") ;;
      # kept off the command line (ps, /proc, Spark's event log): the CLI reads it from here
      --database-url) [[ $# -gt 0 ]] || seedtest_die "--database-url needs a value"
        export SEEDTEST_DATABASE_URL_FLAG="$1"; shift ;;
      --database-url=*) export SEEDTEST_DATABASE_URL_FLAG="${a#--database-url=}" ;;
      *) args+=("$a") ;;
    esac
  done

  if [[ "$each_day" == 0 ]]; then
    seedtest_build_command "$job" "${args[@]}"
    seedtest_run
    return
  fi

  [[ -n "$from" && -n "$to" ]] || seedtest_die "--each-day needs --from and --to"
  # Drop --from/--to from the pass-through flags; each run gets its own --date.
  local rest=() i=0
  while [[ $i -lt ${#args[@]} ]]; do
    case "${args[$i]}" in
      --from|--to) i=$((i + 2)) ;;
      --from=*|--to=*) i=$((i + 1)) ;;
      --date|--date=*) seedtest_die "--each-day goes with --from/--to, not --date" ;;
      *) rest+=("${args[$i]}"); i=$((i + 1)) ;;
    esac
  done
  local days d
  days="$(seedtest_date_range "$from" "$to")" || exit 1
  for d in $days; do
    seedtest_note "=== $job --date $d ==="
    seedtest_build_command "$job" --date "$d" "${rest[@]}"
    if ! seedtest_run; then
      seedtest_note "failed on $d; resume with:"
      {
        printf '  jobs/%q.sh --each-day --from %q --to %q' "$job" "$d" "$to"
        [[ ${#rest[@]} -eq 0 ]] || printf ' %q' "${rest[@]}"
        echo
      } >&2
      return 1
    fi
  done
}
