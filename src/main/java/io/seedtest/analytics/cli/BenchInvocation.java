package io.seedtest.analytics.cli;

import io.seedtest.analytics.Errors;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How a benchmark report names the command that produced it: {@code bin/<subcommand> <its arguments>}
 * (each benchmark has a script of the same name), with any password in a database URL masked, since
 * reports are committed and pasted into notes.
 */
final class BenchInvocation {
  private BenchInvocation() {}

  static String describe(CommandSpec command) {
    List<String> args = new ArrayList<>(command.commandLine().getParseResult().originalArgs());
    if (!args.isEmpty() && args.get(0).equals(command.name())) {
      args.remove(0);
    }
    args.add(0, "bin/" + command.name());
    return Errors.redact(String.join(" ", args));
  }
}
