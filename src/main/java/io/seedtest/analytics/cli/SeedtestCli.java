package io.seedtest.analytics.cli;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.SeedtestException;
import java.sql.SQLException;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
        BenchIrtUpdateCommand.class, BenchEndpointAbuseCommand.class, BenchPoisonCommand.class,
        BenchKillsCommand.class, ImportCommand.class, GenerateWeeklyReportsCommand.class, BenchEStepCommand.class})
public final class SeedtestCli {
  private static final Logger LOG = LoggerFactory.getLogger(SeedtestCli.class);
  /** The value of --database-url as the launchers pass it (see {@link #optionFromEnvironment}). */
  public static final String DATABASE_URL_FLAG = "SEEDTEST_DATABASE_URL_FLAG";

  /**
   * The environment every setting is read from, through {@link io.seedtest.analytics.config.Settings}
   * and the per-component settings derived from it; only {@link #main} takes it from the process, so
   * a test passes its own map and never forks a JVM to set a variable.
   */
  private final Map<String, String> env;

  SeedtestCli(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public static void main(String[] args) {
    System.exit(run(args, System.getenv()));
  }

  /** Runs a command line on System.out/err with the settings of {@code env}. */
  public static int run(String[] args, Map<String, String> env) {
    return execute(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), env, args);
  }

  /** Runs a command line with the given streams; user-facing failures become one line on {@code err}. */
  public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, Map<String, String> env, String... args) {
    CommandLine cli = commandLine(env);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> failure(e, cmd.getErr(), env));
    try {
      return cli.execute(args);
    } catch (Throwable e) {
      // picocli hands only Exceptions to the handler: an Error (OutOfMemoryError, a linkage
      // error) thrown by a command arrives here, and gets the same one line
      return failure(e, err, env);
    }
  }

  /** The command tree as {@link #execute} runs it (tests read its help and options from here). */
  static CommandLine commandLine(Map<String, String> env) {
    SeedtestCli root = new SeedtestCli(env);
    CommandLine cli = new CommandLine(root);
    // The commands' descriptions are written as lines of up to ~110 characters; at picocli's default
    // 80 each would wrap mid-sentence and then break again where the next line starts.
    cli.setUsageHelpWidth(120);
    cli.setDefaultValueProvider(arg -> root.optionFromEnvironment(arg));
    return cli;
  }

  /** The environment of the command line {@code spec} belongs to (a command's or a mixin's spec). */
  static Map<String, String> environment(CommandLine.Model.CommandSpec spec) {
    return ((SeedtestCli) spec.root().userObject()).env;
  }

  /**
   * A --database-url given to bin/seedtest or jobs/*.sh arrives here through the environment
   * variable {@value #DATABASE_URL_FLAG}, never argv: a password on a command line shows in
   * {@code ps} and /proc of every user, and in Spark's event log (sun.java.command).
   */
  private String optionFromEnvironment(CommandLine.Model.ArgSpec arg) {
    return arg instanceof CommandLine.Model.OptionSpec o && java.util.Arrays.asList(o.names()).contains("--database-url")
        ? env.get(DATABASE_URL_FLAG) : null;
  }

  /**
   * Every failure leaves the CLI as one line on stderr and a documented exit code (README, "Exit
   * codes"); a failure nobody anticipated also gets its stack trace written to a file (and to the
   * log at DEBUG), never printed at the operator.
   */
  static int failure(Throwable e, java.io.PrintWriter err, Map<String, String> env) {
    SeedtestException user = userFacing(e);
    if (user == null) {
      SQLException sql = find(e, SQLException.class);
      user = sql != null ? Errors.databaseFailure("A database statement", sql) : Errors.unexpected(e, StackTraceFile.write(e, env));
    }
    LOG.debug("command failed", e);
    err.println("seedtest: " + user.getMessage());
    err.flush();
    return user.exitCode();
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
