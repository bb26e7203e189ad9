package io.seedtest.analytics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The benchmark subcommands' front door: a bad setting is one line and a non-zero exit before any
 * work starts, and the command line a report records never carries a password.
 */
class BenchCommandsCliTest {
  private record Result(int exit, String err) {}

  private static Result run(String... args) {
    StringWriter err = new StringWriter();
    int exit = SeedtestCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), Map.of(), args);
    return new Result(exit, err.toString());
  }

  @Test
  void aBadSettingIsOneLineBeforeAnyWork() {
    Result days = run("bench-kpis", "--days", "0");
    Result pool = run("bench-irt-update", "--pool", "0");
    Result stage = run("bench-kills", "--stages", "read,nowhere");
    Result repeats = run("bench-estep", "--repeats", "0");

    assertThat(days.exit).isNotZero();
    assertThat(days.err.strip().lines()).containsExactly(
        "seedtest: Setting --days='0' is invalid: expected a whole number from 1 to 730. "
            + "Fix the environment variable or the flag and run again.");
    assertThat(pool.exit).isNotZero();
    assertThat(pool.err.strip().lines()).hasSize(1).allMatch(l -> l.startsWith("seedtest: Setting --pool='0'"));
    assertThat(repeats.exit).isNotZero();
    assertThat(repeats.err.strip().lines()).hasSize(1).allMatch(l -> l.startsWith("seedtest: Setting --repeats='0'"));
    assertThat(stage.exit).isEqualTo(2);
    assertThat(stage.err.strip().lines()).containsExactly("seedtest: --stages: unknown stage 'nowhere'; the stages"
        + " are read, staging-copy, merge-transaction, lake-merge, ledger-update.");
  }

  @Test
  void poisonAndThresholdSettingsAreCheckedBeforeAnyWork() {
    Result perKind = run("bench-poison", "--per-kind", "0");
    Result share = run("aggregate-features-daily", "--max-quarantine-share", "150%");
    Result gain = run("compute-daily-kpis", "--churn-min-auc-gain", "0.9");

    assertThat(perKind.exit).isEqualTo(2);
    assertThat(perKind.err.strip().lines()).hasSize(1).allMatch(l -> l.startsWith("seedtest: Setting --per-kind='0'"));
    assertThat(share.exit).isEqualTo(2);
    assertThat(share.err.strip().lines()).containsExactly("seedtest: Setting --max-quarantine-share='150%' is invalid:"
        + " expected a share from 0 to 1 such as 0.05, or a percentage such as 5%. Fix the environment variable or the"
        + " flag and run again.");
    assertThat(gain.exit).isEqualTo(2);
    assertThat(gain.err.strip().lines()).containsExactly("seedtest: Setting --churn-min-auc-gain='0.9' is invalid:"
        + " expected an AUC margin from 0 to 0.5 such as 0.02. Fix the environment variable or the flag and run again.");
  }

  @Test
  void scaleOnlyAndQualityOnlyExcludeEachOther() {
    Result r = run("bench-kpis", "--scale-only", "--quality-only");

    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).startsWith("Error: --scale-only, --quality-only are mutually exclusive");
  }

  @Test
  void theRecordedCommandLineNamesTheScriptAndMasksThePassword() {
    CommandLine cli = SeedtestCli.commandLine(Map.of());
    CommandLine.ParseResult parsed = cli.parseArgs("bench-irt-update", "--database-url",
        "postgresql://bench:Sup3r-s3cret@127.0.0.1:5432/seedtest_bench", "--keep");

    String line = BenchInvocation.describe(parsed.subcommand().commandSpec());

    assertThat(line).isEqualTo(
        "bin/bench-irt-update --database-url postgresql://bench:***@127.0.0.1:5432/seedtest_bench --keep");
  }
}
