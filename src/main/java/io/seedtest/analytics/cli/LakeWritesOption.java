package io.seedtest.analytics.cli;

import picocli.CommandLine.Option;

/** --[no-]lake-writes, for the jobs whose results the runner publishes (a mixin). */
final class LakeWritesOption {
  @Option(names = "--lake-writes", negatable = true, paramLabel = "",
      description = "Also write the results to the Delta lake (overrides SEEDTEST_LAKE_WRITES; default on). "
          + "With a database, --no-lake-writes skips the lake and its write time; embedded mode needs it on.")
  Boolean lakeWrites;

  /** The flag as recorded in job_runs. */
  String describe() {
    return lakeWrites == null ? "" : lakeWrites ? " --lake-writes" : " --no-lake-writes";
  }
}
