package io.seedtest.analytics.cli;

import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.kpi.DetectInactivityJob;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(name = DetectInactivityJob.NAME, mixinStandardHelpOptions = true,
    description = {"The inactivity trigger (run it hourly): record students whose last activity has just crossed",
        "7 days, and students who came back after such a gap, once each in inactivity_events, and recompute",
        "their KPIs (P and S included) for the day at once, with the nightly job's code.",
        "Default day: today (UTC), inputs up to now; --date D: the day D as of its end (or now, if D is today).",
        "The nightly compute-daily-kpis row of a day is final: the trigger never overwrites it."})
final class DetectInactivityCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() {
    if (!common.days.given()) {
      common.days.date = LocalDate.now(ZoneOffset.UTC).toString();
    }
    JobLauncher.launchAndReport(common, "", settings -> new DetectInactivityJob(AttemptSource.from(settings)),
        command.commandLine().getOut());
    return 0;
  }
}
