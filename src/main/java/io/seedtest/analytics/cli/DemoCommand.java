package io.seedtest.analytics.cli;

import io.seedtest.analytics.calibration.CalibrateIrtJob;
import io.seedtest.analytics.calibration.CalibrationOptions;
import io.seedtest.analytics.config.ReportStorage;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.config.SparkSettings;
import io.seedtest.analytics.features.AggregateFeaturesDailyJob;
import io.seedtest.analytics.features.Granularity;
import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.io.SchemaMigrator;
import io.seedtest.analytics.job.Job;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.job.SparkSessions;
import io.seedtest.analytics.kpi.ComputeDailyKpisJob;
import io.seedtest.analytics.kpi.DetectInactivityJob;
import io.seedtest.analytics.report.GenerateWeeklyReportsJob;
import io.seedtest.analytics.report.RecommendationTruth;
import io.seedtest.analytics.report.ReportOptions;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.ability.UpdateAbilitiesJob;
import io.seedtest.analytics.ability.UpdateAbilitiesOptions;
import io.seedtest.analytics.ability.UpdateRule;
import io.seedtest.analytics.sim.GenerateJob;
import io.seedtest.analytics.sim.SimulationSpec;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the whole pipeline on simulated data: generate -> calibrate-irt (as of a week before the",
        "last simulated day) -> update-abilities (the sessions after it) -> aggregate-features-daily (backfill",
        "over the simulated days) -> compute-daily-kpis and detect-inactivity (for the last day) ->",
        "generate-weekly-reports (the week ending on the last day, under <lake>/reports), then print where every",
        "result is and what it holds, and the path of one report to open in a browser.",
        "Embedded by default (local Spark, Delta lake under --lake, no database); pass --database-url",
        "explicitly to run it against PostgreSQL (its simulated tables are replaced)."})
final class DemoCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Option(names = "--lake", paramLabel = "PATH", description = "Lake root (default: ./lake).", defaultValue = "lake")
  String lake;

  @Option(names = "--database-url", paramLabel = "URL",
      description = "Also use PostgreSQL (the environment's DATABASE_URL is ignored here on purpose).")
  String databaseUrl;

  @Mixin
  SimulationOptions simulation;

  @Override
  public Integer call() {
    Map<String, String> env = new java.util.HashMap<>(SeedtestCli.environment(command));
    env.remove(Settings.DATABASE_URL);
    Settings settings = Settings.load(env, databaseUrl, lake);
    settings.database().ifPresent(SchemaMigrator::migrate);
    SparkSession spark = SparkSessions.getOrCreate("seedtest demo", SparkSettings.load(env));
    SimulationSpec spec = simulation.spec();
    DateWindow simulated = new DateWindow(spec.startDay(), spec.endDay());

    new GenerateJob().run(spark, settings, spec, true);
    AttemptSource source = AttemptSource.from(settings);
    // Calibrate a week before the end, so that the last week's sessions show the session-end update.
    LocalDate calibrationDay = spec.endDay().minusDays(7).isBefore(spec.startDay()) ? spec.endDay()
        : spec.endDay().minusDays(7);
    run(new CalibrateIrtJob(source, CalibrationOptions.defaults()), DateWindow.day(calibrationDay), settings, spark);
    run(new UpdateAbilitiesJob(new UpdateAbilitiesOptions(
        settings.irtDriftPerDay().orElse(UpdateRule.DEFAULT_DRIFT_PER_DAY), Duration.ZERO,
        UpdateAbilitiesOptions.DEFAULT_MAX_SESSIONS)), null, settings, spark);
    run(new AggregateFeaturesDailyJob(source, Granularity.DAY), simulated, settings, spark);
    DateWindow lastDay = DateWindow.day(spec.endDay());
    run(new ComputeDailyKpisJob(source), lastDay, settings, spark);
    run(new DetectInactivityJob(source), lastDay, settings, spark);
    // the students' weekly reports, under the lake whatever SEEDTEST_REPORTS_URL says (a demo stays local)
    GenerateWeeklyReportsJob reports = new GenerateWeeklyReportsJob(source,
        ReportStorage.load(Map.of(), settings, null), ReportOptions.defaults());
    run(reports, lastDay, settings, spark);

    new DemoSummary(spark, settings).print(command.commandLine().getOut());
    if (reports.sampleUrl() != null) {
      command.commandLine().getOut().printf("%nweekly reports: %d rendered (%s); open one in a browser:%n  %s%n",
          reports.total(), ReportStorage.load(Map.of(), settings, null).url(), reports.sampleUrl());
      command.commandLine().getOut().println("recommendations vs the simulator's truth: "
          + RecommendationTruth.score(spark, new Lake(settings.lake()), spec.endDay()));
    }
    return 0;
  }

  /** One stage, as its own subcommand would run it; {@code window} null for the watermark-driven job. */
  private static void run(Job job, DateWindow window, Settings settings, SparkSession spark) {
    String args = window == null ? "demo" : "demo --from " + window.from() + " --to " + window.to();
    JobRunner.run(job, new RunContext(UUID.randomUUID(), job.name(), window, false, false, args, settings, spark,
        RunContext.NONE));
  }
}
