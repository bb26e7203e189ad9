package io.seedtest.analytics.cli;

import io.seedtest.analytics.bench.EndpointAbuseBenchmark;
import io.seedtest.analytics.bench.IrtUpdateBenchmark;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench-endpoint-abuse", mixinStandardHelpOptions = true,
    description = {"The θ-update endpoint under abuse (issue 12; docs/benchmarks.md). Loads schemas bench_abuse and",
        "bench_abuse_serial of the benchmark database (created if missing; DATABASE_URL is ignored on purpose: the",
        "benchmark drops those schemas) and starts `seedtest serve` with its defaults on 127.0.0.1. Then: --repeats x",
        "--sessions requests at once from a separate JVM, checked in the database against a single-threaded pass",
        "(each session applied once, same θ); and stalled and trickling clients while health checks and updates go on.",
        "Only loopback traffic. Prints a Markdown table (also to --report)."})
final class BenchEndpointAbuseCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Option(names = "--database-url", defaultValue = IrtUpdateBenchmark.DEFAULT_URL, paramLabel = "URL",
      description = "The benchmark database (default: ${DEFAULT-VALUE}).")
  String databaseUrl;

  @Option(names = "--sessions", defaultValue = "1000", description = "Sessions of the burst (default: ${DEFAULT-VALUE}).")
  int sessions;

  @Option(names = "--students", defaultValue = "300", description = "Their students (default: ${DEFAULT-VALUE}).")
  int students;

  @Option(names = "--repeats", defaultValue = "10",
      description = "Requests per session, all sent at once (default: ${DEFAULT-VALUE}).")
  int repeats;

  @Option(names = "--seconds", defaultValue = "12",
      description = "Length of each abuse scenario (default: ${DEFAULT-VALUE}; the request timeout is 5 s).")
  int seconds;

  @Option(names = "--stalled", split = ",", defaultValue = "16,64,256", paramLabel = "N[,N...]",
      description = "Stalled-client counts (default: ${DEFAULT-VALUE}).")
  List<Integer> stalled;

  @Option(names = "--trickling", split = ",", defaultValue = "16,64", paramLabel = "N[,N...]",
      description = "Trickling-client counts, each in the headers and in the body (default: ${DEFAULT-VALUE}).")
  List<Integer> trickling;

  @Option(names = "--seed", defaultValue = "20261202", description = "Seed of the loaded data (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--report", paramLabel = "FILE", description = "Also write the report here.")
  Path report;

  @Option(names = "--keep", description = "Keep the two schemas afterwards.")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    CommonOptions.requirePositive("--sessions", sessions);
    CommonOptions.requirePositive("--students", students);
    CommonOptions.requirePositive("--repeats", repeats);
    CommonOptions.requirePositive("--seconds", seconds);
    for (int n : stalled) {
      CommonOptions.requirePositive("--stalled", n);
    }
    for (int n : trickling) {
      CommonOptions.requirePositive("--trickling", n);
    }
    return new EndpointAbuseBenchmark().run(new EndpointAbuseBenchmark.Options(databaseUrl, sessions, students, repeats,
        seconds, stalled, trickling, seed, report, keep), BenchInvocation.describe(command));
  }
}
