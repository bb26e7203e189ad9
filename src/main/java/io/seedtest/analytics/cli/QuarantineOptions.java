package io.seedtest.analytics.cli;

import io.seedtest.analytics.config.Settings;
import picocli.CommandLine.Option;

/** How much quarantined input a job that checks the share tolerates (a mixin). */
final class QuarantineOptions {
  @Option(names = "--max-quarantine-share", paramLabel = "SHARE",
      description = "Fail the run (writing nothing) when more than this share of the window's answers is quarantined: "
          + "0.05 or 5%% (overrides SEEDTEST_MAX_QUARANTINE_SHARE; default 5%%).")
  String maxQuarantineShare;

  Settings apply(Settings s) {
    return maxQuarantineShare == null ? s
        : s.withMaxQuarantineShare(Settings.share("--max-quarantine-share", maxQuarantineShare));
  }

  String describe() {
    return maxQuarantineShare == null ? "" : " --max-quarantine-share " + maxQuarantineShare;
  }
}
