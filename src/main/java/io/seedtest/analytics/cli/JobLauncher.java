package io.seedtest.analytics.cli;

import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.config.SparkSettings;
import io.seedtest.analytics.job.Job;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.job.SparkSessions;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.run.JobOutcome;
import java.util.UUID;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/** What every job subcommand does: settings, optional migration, session, run context, runner. */
final class JobLauncher {
  private JobLauncher() {}

  static JobOutcome launch(CommonOptions common, String extraArgs, Function<Settings, Job> jobFactory) {
    return launch(common.job, common.settings(), common.spark(), common.window(), common.describe(extraArgs),
        jobFactory);
  }

  /**
   * The same for any job: {@code window} null for a job without one, {@code args} as recorded in
   * job_runs.
   */
  static JobOutcome launch(JobOptions options, Settings settings, SparkSettings sparkSettings, DateWindow window,
      String args, Function<Settings, Job> jobFactory) {
    options.store.migrateIfAsked(settings);
    Job job = jobFactory.apply(settings);
    SparkSession spark = SparkSessions.getOrCreate("seedtest " + job.name(), sparkSettings);
    RunContext ctx = new RunContext(UUID.randomUUID(), job.name(), window, options.run.dryRun, options.run.strict,
        args, settings, spark, RunContext.NONE);
    return JobRunner.run(job, ctx);
  }

  /** {@link #launch}, then on --dry-run prints the job's {@link Job#report()} to the command's output. */
  static JobOutcome launchAndReport(CommonOptions common, String extraArgs, Function<Settings, Job> jobFactory,
      java.io.PrintWriter out) {
    Job[] job = new Job[1];
    JobOutcome outcome = launch(common, extraArgs, settings -> job[0] = jobFactory.apply(settings));
    if (common.job.run.dryRun) {
      out.print(job[0].report());
      out.flush();
    }
    return outcome;
  }
}
