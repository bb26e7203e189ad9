package io.seedtest.analytics.cli;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.io.SchemaMigrator;
import io.seedtest.analytics.serve.IrtUpdateServer;
import io.seedtest.analytics.serve.ServeSettings;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serve the session-end theta update over HTTP (no Spark; JDBC straight to PostgreSQL):",
        "  POST /analysis/irt/update?user_id=U&session_id=S   -> JSON theta, se, answers_used, skipped, already_applied",
        "  GET  /healthz (readiness), /healthz/live (liveness), /metrics: on the management port",
        "Settings: DATABASE_URL (required), SEEDTEST_HTTP_TOKEN (required bearer token, unless --insecure-no-token),",
        "SEEDTEST_HTTP_ADDRESS (127.0.0.1), SEEDTEST_HTTP_PORT (8080), SEEDTEST_HTTP_MANAGEMENT_PORT (8081),",
        "SEEDTEST_HTTP_DB_POOL (8), SEEDTEST_HTTP_THREADS (16), SEEDTEST_HTTP_QUEUE (128: beyond, 503),",
        "SEEDTEST_HTTP_REQUEST_TIMEOUT_MS (5000), SEEDTEST_HTTP_IDLE_TIMEOUT_SECONDS (30),",
        "SEEDTEST_IRT_DRIFT_PER_DAY (0.002), SEEDTEST_HTTP_SYNCHRONOUS_COMMIT (false).",
        "Runs until stopped (SIGTERM). See docs/irt-online.md."})
final class ServeCommand implements Callable<Integer> {
  @Spec
  CommandSpec command;

  @Mixin
  DatabaseOptions database;

  @Option(names = "--address", paramLabel = "ADDR", description = "Bind address (overrides SEEDTEST_HTTP_ADDRESS).")
  String address;

  @Option(names = "--port", paramLabel = "PORT", description = "Port, 0 = any free one (overrides SEEDTEST_HTTP_PORT).")
  Integer port;

  @Option(names = "--management-port", paramLabel = "PORT",
      description = "Port of /healthz and /metrics, 0 = any free one (overrides SEEDTEST_HTTP_MANAGEMENT_PORT).")
  Integer managementPort;

  @Option(names = "--insecure-no-token",
      description = "Serve without SEEDTEST_HTTP_TOKEN: anyone who reaches the port can update abilities. Trusted networks only.")
  boolean insecureNoToken;

  @Mixin
  ServerCapacityOptions capacity;

  @Option(names = "--migrate", description = "Apply pending schema migrations before serving.")
  boolean migrate;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Map<String, String> env = SeedtestCli.environment(command);
    Settings settings = database.settings(env);
    if (settings.database().isEmpty()) {
      throw Errors.serveNeedsDatabase();
    }
    ServeSettings serve = ServeSettings.load(env, settings).requireToken(insecureNoToken);
    if (address != null) {
      serve = serve.withAddress(address);
    }
    if (port != null) {
      if (port < 0 || port > 65535) {
        throw Errors.badSetting("--port", port.toString(), "a port from 0 to 65535");
      }
      serve = serve.withPort(port);
    }
    if (managementPort != null) {
      if (managementPort < 0 || managementPort > 65535) {
        throw Errors.badSetting("--management-port", managementPort.toString(), "a port from 0 to 65535");
      }
      serve = serve.withManagementPort(managementPort);
    }
    serve = capacity.apply(serve);
    if (migrate) {
      SchemaMigrator.migrate(settings.database().get());
    }
    IrtUpdateServer server;
    try {
      server = new IrtUpdateServer(serve, settings.database().get()).start();
    } catch (java.net.BindException e) {
      throw Errors.cannotListen(e);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "irt-shutdown"));
    stopped.await();
    return 0;
  }
}
