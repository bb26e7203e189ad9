package io.seedtest.analytics.cli;

import io.seedtest.analytics.serve.ServeSettings;
import picocli.CommandLine.Option;

/** The endpoint's capacity, for serve and for the benchmark that starts one (a mixin). */
final class ServerCapacityOptions {
  @Option(names = "--pool", paramLabel = "N",
      description = "The server's database connections (overrides SEEDTEST_HTTP_DB_POOL; default 8).")
  Integer pool;

  @Option(names = "--threads", paramLabel = "N",
      description = "The server's request threads (overrides SEEDTEST_HTTP_THREADS; default 16).")
  Integer threads;

  /** {@code serve} with these flags over its environment's values, each checked before any work. */
  ServeSettings apply(ServeSettings serve) {
    if (pool != null) {
      CommonOptions.requirePositive("--pool", pool);
      serve = serve.withPool(pool);
    }
    if (threads != null) {
      CommonOptions.requirePositive("--threads", threads);
      serve = serve.withThreads(threads);
    }
    return serve;
  }
}
