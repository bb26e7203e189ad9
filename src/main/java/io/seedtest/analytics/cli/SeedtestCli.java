package io.seedtest.analytics.cli;

import io.seedtest.analytics.SeedtestException;
import java.sql.SQLException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one entry point: {@code seedtest <job> [options]}. */
@Command(name = "seedtest", mixinStandardHelpOptions = true, version = "seedtest-analytics 0.1.0",
    description = {"SeedTest analytics: Spark batch jobs over the platform's exam answers.",
        "Without DATABASE_URL every job runs embedded: simulated data in a local Delta lake (./lake).",
        "Start with: seedtest demo"},
    subcommands = {DemoCommand.class, GenerateCommand.class, MigrateCommand.class,
        AggregateFeaturesDailyCommand.class, BenchFeaturesCommand.class,
        ComputeDailyKpisCommand.class, DetectInactivityCommand.class,
        UpdateAbilitiesCommand.class, ServeCommand.class,
        CalibrateIrtCommand.class, BenchCalibrationCommand.class, BenchKpisCommand.class,
        BenchIrtUpdateCommand.class, GenerateWeeklyReportsCommand.class})
public final class SeedtestCli {
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  public static int execute(String... args) {
    return execute(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
  }

  /** Runs a command line with the given streams; user-facing failures become one line on {@code err}. */
  public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new SeedtestCli());
    // The commands' descriptions are written as lines of up to ~110 characters; at picocli's default
    // 80 each would wrap mid-sentence and then break again where the next line starts.
    cli.setUsageHelpWidth(120);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      SeedtestException user = userFacing(e);
      if (user != null) {
        cmd.getErr().println("seedtest: " + user.getMessage());
        return user.exitCode();
      }
      SQLException sql = find(e, SQLException.class);
      if (sql != null) {
        cmd.getErr().println("seedtest: database error: " + io.seedtest.analytics.Errors.describe(sql));
        return io.seedtest.analytics.Errors.UNAVAILABLE;
      }
      throw e;
    });
    return cli.execute(args);
  }

  static SeedtestException userFacing(Throwable e) {
    return find(e, SeedtestException.class);
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
