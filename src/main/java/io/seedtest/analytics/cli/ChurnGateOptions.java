package io.seedtest.analytics.cli;

import io.seedtest.analytics.config.Settings;
import picocli.CommandLine.Option;

/** The churn model's gate, for the job that trains the model (a mixin). */
final class ChurnGateOptions {
  @Option(names = "--churn-min-auc-gain", paramLabel = "AUC",
      description = "Held-out AUC a new churn model must gain over the best single-feature baseline to serve "
          + "(else the recency buckets serve; overrides SEEDTEST_CHURN_MIN_AUC_GAIN; default 0.005).")
  String churnMinAucGain;

  Settings apply(Settings s) {
    return churnMinAucGain == null ? s
        : s.withChurnMinAucGain(Settings.churnGain("--churn-min-auc-gain", churnMinAucGain));
  }

  String describe() {
    return churnMinAucGain == null ? "" : " --churn-min-auc-gain " + churnMinAucGain;
  }
}
