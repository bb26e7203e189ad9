package io.seedtest.analytics.cli;

import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.config.SparkSettings;
import io.seedtest.analytics.job.SparkSessions;
import io.seedtest.analytics.sim.GenerateJob;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "generate", mixinStandardHelpOptions = true,
    description = {"Simulate students, items and exam sessions with known ground truth (true item parameters,",
        "true ability by day, churn). Writes the local lake (embedded) or PostgreSQL via COPY (with DATABASE_URL)."})
final class GenerateCommand implements Callable<Integer> {
  @Spec
  CommandSpec command;

  @Mixin
  StoreOptions store;

  @Mixin
  SimulationOptions simulation;

  @Option(names = "--replace", description = "Truncate the simulated tables in PostgreSQL first "
      + "(without it, a database whose exam_results has rows is left alone).")
  boolean replace;

  @Override
  public Integer call() {
    Map<String, String> env = SeedtestCli.environment(command);
    Settings settings = store.settings(env);
    store.migrateIfAsked(settings);
    var spec = simulation.spec();
    new GenerateJob().run(SparkSessions.getOrCreate("seedtest generate", SparkSettings.load(env)), settings, spec,
        replace);
    return 0;
  }
}
