package io.seedtest.analytics.cli;

import io.seedtest.analytics.bench.PoisonBenchmark;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.config.SparkSettings;
import io.seedtest.analytics.run.DateWindow;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench-poison", mixinStandardHelpOptions = true,
    description = {"Write every poison kind (answers no client should send: offsets of +19:00, \"1e400\", leap seconds,",
        "20,000-character topics, responses that are not an array, ...) into exam_results beside valid sessions, run",
        "aggregate-features-daily, compute-daily-kpis and a small calibrate-irt over the day that holds them, and print",
        "per kind the answers tried, quarantined (with the reason) and the job failures (must be 0). Uses a schema of",
        "its own in --database-url (default: DATABASE_URL, else the test database), dropped afterwards unless --keep.",
        "See docs/benchmarks.md."})
final class BenchPoisonCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Option(names = "--database-url", paramLabel = "URL",
      description = "PostgreSQL server and database to use (default: DATABASE_URL, else " + PoisonBenchmark.DEFAULT_URL + ").")
  String databaseUrl;

  @Option(names = "--per-kind", defaultValue = "3", paramLabel = "N", description = "Sessions per poison kind (default ${DEFAULT-VALUE}).")
  int perKind;

  @Option(names = "--sessions-per-day", defaultValue = "300", paramLabel = "N",
      description = "Valid sessions (10 answers each) per day (default ${DEFAULT-VALUE}).")
  int sessionsPerDay;

  @Option(names = "--days", defaultValue = "28", paramLabel = "D", description = "Days of valid sessions (default ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "The day that holds the poison (default: yesterday, UTC).")
  String date;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the valid sessions.")
  long seed;

  @Option(names = "--keep", description = "Keep the schema afterwards.")
  boolean keep;

  @Option(names = "--work", defaultValue = "target/bench-poison", paramLabel = "DIR", description = "Lake directory.")
  Path work;

  @Option(names = "--report", paramLabel = "FILE", description = "Also write the table as Markdown.")
  Path report;

  @Override
  public Integer call() {
    CommonOptions.requirePositive("--per-kind", perKind);
    CommonOptions.requirePositive("--sessions-per-day", sessionsPerDay);
    CommonOptions.requirePositive("--days", days);
    String envUrl = SeedtestCli.environment(command).get(Settings.DATABASE_URL);
    String url = databaseUrl != null ? databaseUrl
        : envUrl != null && !envUrl.isBlank() ? envUrl : PoisonBenchmark.DEFAULT_URL;
    var day = date == null ? DateWindow.yesterdayUtc().from() : DateWindow.parseDate("--date", date);
    String table = new PoisonBenchmark(new PoisonBenchmark.Options(url, perKind, sessionsPerDay, days,
        day, seed, keep, work.toAbsolutePath(), report)).run(SparkSettings.load(SeedtestCli.environment(command)));
    PrintWriter out = command.commandLine().getOut();
    out.println(BenchInvocation.describe(command));
    out.print(table);
    out.flush();
    return table.contains("job failures: 0") ? 0 : 1;
  }
}
