package io.seedtest.analytics.cli;

import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.kpi.ComputeDailyKpisJob;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(name = ComputeDailyKpisJob.NAME, mixinStandardHelpOptions = true,
    description = {"Compute weekly_kpi for the day (default: yesterday, UTC): per student with answers in the last",
        "KPI_LOOKBACK_DAYS days, A_t, I_t, E_t, R_t, P (goal probability) and S (churn probability), with the",
        "inputs behind them; trains the churn model for the next day (stored in churn_models).",
        "Settings: KPI_LOOKBACK_DAYS (30), METRICS_DEFAULT_TARGET (0.0), METRICS_USE_BAYESIAN (false).",
        "Upserts PostgreSQL (when DATABASE_URL is set) and merges the lake. --dry-run prints the distribution",
        "of every KPI and writes nothing. Definitions: docs/metrics.md, section KPIs."})
final class ComputeDailyKpisCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Mixin
  CommonOptions common;

  @Mixin
  QuarantineOptions quarantine;

  @Mixin
  ChurnGateOptions churnGate;

  @Override
  public Integer call() {
    JobLauncher.launchAndReport(common.with(quarantine).with(churnGate), "",
        settings -> new ComputeDailyKpisJob(AttemptSource.from(settings)), command.commandLine().getOut());
    return 0;
  }
}
