package io.seedtest.analytics.cli;

import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.job.Job;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.job.SparkSessions;
import io.seedtest.analytics.run.JobOutcome;
import java.util.UUID;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/** What every job subcommand does: settings, optional migration, session, run context, runner. */
final class JobLauncher {
  private JobLauncher() {}

  static JobOutcome launch(CommonOptions common, String extraArgs, Function<Settings, Job> jobFactory) {
    Settings settings = common.settings();
    var window = common.window();
    common.store.migrateIfAsked(settings);
    Job job = jobFactory.apply(settings);
    SparkSession spark = SparkSessions.getOrCreate("seedtest " + job.name(), common.spark());
    RunContext ctx = new RunContext(UUID.randomUUID(), job.name(), window, common.run.dryRun, common.run.strict,
        common.describe(extraArgs), settings, spark, RunContext.NONE);
    return JobRunner.run(job, ctx);
  }

  /** {@link #launch}, then on --dry-run prints the job's {@link Job#report()} to the command's output. */
  static JobOutcome launchAndReport(CommonOptions common, String extraArgs, Function<Settings, Job> jobFactory,
      java.io.PrintWriter out) {
    Job[] job = new Job[1];
    JobOutcome outcome = launch(common, extraArgs, settings -> job[0] = jobFactory.apply(settings));
    if (common.run.dryRun) {
      out.print(job[0].report());
      out.flush();
    }
    return outcome;
  }
}
