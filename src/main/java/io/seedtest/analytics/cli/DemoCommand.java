package io.seedtest.analytics.cli;

import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.features.AggregateFeaturesDailyJob;
import io.seedtest.analytics.features.Granularity;
import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.io.SchemaMigrator;
import io.seedtest.analytics.job.DateWindow;
import io.seedtest.analytics.job.Job;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.job.SparkSessions;
import io.seedtest.analytics.sim.GenerateJob;
import io.seedtest.analytics.sim.SimulationSpec;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the whole pipeline on simulated data: generate -> aggregate-features-daily (backfill",
        "over the simulated days), then print where every result is and what it holds.",
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
    Map<String, String> env = new java.util.HashMap<>(System.getenv());
    env.remove(Settings.DATABASE_URL);
    Settings settings = Settings.load(env, databaseUrl, lake);
    settings.database().ifPresent(SchemaMigrator::migrate);
    SparkSession spark = SparkSessions.getOrCreate("seedtest demo");
    SimulationSpec spec = simulation.spec();
    DateWindow simulated = new DateWindow(spec.startDay(), spec.endDay());

    new GenerateJob().run(spark, settings, spec, true);
    AttemptSource source = AttemptSource.from(settings);
    run(new AggregateFeaturesDailyJob(source, Granularity.DAY), simulated, settings, spark);

    new DemoSummary(spark, settings).print(command.commandLine().getOut());
    return 0;
  }

  private static void run(Job job, DateWindow window, Settings settings, SparkSession spark) {
    JobRunner.run(job, new RunContext(UUID.randomUUID(), job.name(), window, false, false,
        "demo --from " + window.from() + " --to " + window.to(), settings, spark, RunContext.NONE));
  }
}
