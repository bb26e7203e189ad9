package io.seedtest.analytics.serve;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.ability.UpdateRule;
import java.util.Map;

/**
 * Settings of {@code seedtest serve}, from the environment map the CLI was given (never the
 * process's own), with the drift of {@link Settings}, the one loader (flags of the command
 * override the non-secret ones). The token is never printed: {@link #toString()} says only whether one is set.
 *
 * <ul>
 *   <li>{@code SEEDTEST_HTTP_ADDRESS} bind address of both ports (default 127.0.0.1; 0.0.0.0 in a pod)
 *   <li>{@code SEEDTEST_HTTP_PORT} the API's port (default 8080; 0 = any free port)
 *   <li>{@code SEEDTEST_HTTP_MANAGEMENT_PORT} health checks and {@code /metrics} (default 8081; 0 = any
 *       free port): kept off the API's port so that the metrics need no token there and the
 *       Service exposes only the API
 *   <li>{@code SEEDTEST_HTTP_TOKEN} the bearer token every update request needs
 *       ({@code Authorization: Bearer <token>}); {@code serve} refuses to start without one unless
 *       {@code --insecure-no-token} is given
 *   <li>{@code SEEDTEST_HTTP_DB_POOL} PostgreSQL connections (default 8)
 *   <li>{@code SEEDTEST_HTTP_THREADS} request threads, the ones that wait on PostgreSQL (default 16)
 *   <li>{@code SEEDTEST_HTTP_QUEUE} update requests that may wait for a thread (default 128); beyond
 *       them the server answers 503 with Retry-After at once
 *   <li>{@code SEEDTEST_HTTP_REQUEST_TIMEOUT_MS} how long a request may take to arrive, from the
 *       connection or its first byte to its last (default 5000); then the connection is closed
 *   <li>{@code SEEDTEST_HTTP_IDLE_TIMEOUT_SECONDS} keep-alive connections idle this long are closed
 *       (default 30)
 *   <li>{@code SEEDTEST_HTTP_PARAMS_REFRESH_SECONDS} how often the item parameters are checked for a
 *       new calibration (default 60)
 *   <li>{@code SEEDTEST_IRT_DRIFT_PER_DAY} the update rule's drift (shared with update-abilities)
 *   <li>{@code SEEDTEST_HTTP_SYNCHRONOUS_COMMIT} (false): whether the endpoint's commits wait for the
 *       WAL flush. Off by default: a commit lost in a database crash loses the θ and its
 *       session_ability_updates row together, the exam_results row stays, and the batch job applies
 *       the session again with the same result (docs/irt-online.md, "durability")
 * </ul>
 */
public record ServeSettings(String address, int port, int managementPort, String token, int poolSize, int threads,
    int queue, int requestTimeoutMillis, int idleTimeoutSeconds, int paramsRefreshSeconds, double driftPerDay,
    boolean synchronousCommit) {

  public static final String ADDRESS = "SEEDTEST_HTTP_ADDRESS";
  public static final String PORT = "SEEDTEST_HTTP_PORT";
  public static final String MANAGEMENT_PORT = "SEEDTEST_HTTP_MANAGEMENT_PORT";
  public static final String TOKEN = "SEEDTEST_HTTP_TOKEN";
  public static final String POOL = "SEEDTEST_HTTP_DB_POOL";
  public static final String THREADS = "SEEDTEST_HTTP_THREADS";
  public static final String QUEUE = "SEEDTEST_HTTP_QUEUE";
  public static final String REQUEST_TIMEOUT = "SEEDTEST_HTTP_REQUEST_TIMEOUT_MS";
  public static final String IDLE_TIMEOUT = "SEEDTEST_HTTP_IDLE_TIMEOUT_SECONDS";
  public static final String REFRESH = "SEEDTEST_HTTP_PARAMS_REFRESH_SECONDS";
  public static final String DRIFT = Settings.IRT_DRIFT_PER_DAY;
  public static final String SYNCHRONOUS_COMMIT = "SEEDTEST_HTTP_SYNCHRONOUS_COMMIT";

  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_MANAGEMENT_PORT = 8081;
  public static final int DEFAULT_QUEUE = 128;
  public static final int DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
  public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 30;

  /** The endpoint's settings from {@code env}, with the drift of the one loader's {@link Settings}. */
  public static ServeSettings load(Map<String, String> env, Settings settings) {
    return fromEnvironment(env, settings.irtDriftPerDay().orElse(UpdateRule.DEFAULT_DRIFT_PER_DAY));
  }

  /** The endpoint's settings from {@code env} alone (tests of the endpoint's own settings). */
  public static ServeSettings fromEnvironment(Map<String, String> env) {
    return fromEnvironment(env, Settings.irtDriftPerDay(env).orElse(UpdateRule.DEFAULT_DRIFT_PER_DAY));
  }

  private static ServeSettings fromEnvironment(Map<String, String> env, double drift) {
    String address = env.getOrDefault(ADDRESS, "127.0.0.1").trim();
    if (address.isEmpty()) {
      address = "127.0.0.1";
    }
    int port = wholeNumber(env, PORT, DEFAULT_PORT, 0, 65535);
    int management = wholeNumber(env, MANAGEMENT_PORT, DEFAULT_MANAGEMENT_PORT, 0, 65535);
    if (port == management && port != 0) {
      throw Errors.badSetting(MANAGEMENT_PORT, Integer.toString(management), "a port other than " + PORT + "'s");
    }
    String token = env.get(TOKEN);
    if (token != null && token.isBlank()) {
      token = null;
    }
    int pool = wholeNumber(env, POOL, 8, 1, 1000);
    int threads = wholeNumber(env, THREADS, 16, 1, 10_000);
    int queue = wholeNumber(env, QUEUE, DEFAULT_QUEUE, 0, 1_000_000);
    int requestTimeout = wholeNumber(env, REQUEST_TIMEOUT, DEFAULT_REQUEST_TIMEOUT_MS, 100, 600_000);
    int idle = wholeNumber(env, IDLE_TIMEOUT, DEFAULT_IDLE_TIMEOUT_SECONDS, 1, 86_400);
    int refresh = wholeNumber(env, REFRESH, 60, 1, 86_400);
    String sync = env.getOrDefault(SYNCHRONOUS_COMMIT, "false").trim().toLowerCase();
    boolean synchronous = switch (sync) {
      case "", "false", "off", "0", "no" -> false;
      case "true", "on", "1", "yes" -> true;
      default -> throw Errors.badSetting(SYNCHRONOUS_COMMIT, sync, "true or false");
    };
    return new ServeSettings(address, port, management, token, pool, threads, queue, requestTimeout, idle, refresh,
        drift, synchronous);
  }

  /** A server on loopback, both ports chosen by the system, every other setting at its default (tests, benchmarks). */
  public static ServeSettings loopback(String token, int poolSize, int threads, boolean synchronousCommit) {
    return new ServeSettings("127.0.0.1", 0, 0, token, poolSize, threads, DEFAULT_QUEUE, DEFAULT_REQUEST_TIMEOUT_MS,
        DEFAULT_IDLE_TIMEOUT_SECONDS, 60, UpdateRule.DEFAULT_DRIFT_PER_DAY, synchronousCommit);
  }

  /**
   * Refuses to serve without a token unless the operator said so: the pod binds 0.0.0.0, and an
   * endpoint that writes abilities must not be open to whatever reaches it by mistake.
   */
  public ServeSettings requireToken(boolean insecureNoToken) {
    if (token == null && !insecureNoToken) {
      throw Errors.missingServeToken(TOKEN);
    }
    return this;
  }

  public ServeSettings withAddress(String a) {
    return new ServeSettings(a, port, managementPort, token, poolSize, threads, queue, requestTimeoutMillis,
        idleTimeoutSeconds, paramsRefreshSeconds, driftPerDay, synchronousCommit);
  }

  public ServeSettings withPort(int p) {
    return new ServeSettings(address, p, managementPort, token, poolSize, threads, queue, requestTimeoutMillis,
        idleTimeoutSeconds, paramsRefreshSeconds, driftPerDay, synchronousCommit);
  }

  public ServeSettings withManagementPort(int p) {
    return new ServeSettings(address, port, p, token, poolSize, threads, queue, requestTimeoutMillis,
        idleTimeoutSeconds, paramsRefreshSeconds, driftPerDay, synchronousCommit);
  }

  public ServeSettings withPool(int n) {
    return new ServeSettings(address, port, managementPort, token, n, threads, queue, requestTimeoutMillis,
        idleTimeoutSeconds, paramsRefreshSeconds, driftPerDay, synchronousCommit);
  }

  public ServeSettings withThreads(int n) {
    return new ServeSettings(address, port, managementPort, token, poolSize, n, queue, requestTimeoutMillis,
        idleTimeoutSeconds, paramsRefreshSeconds, driftPerDay, synchronousCommit);
  }

  public ServeSettings withQueue(int n) {
    return new ServeSettings(address, port, managementPort, token, poolSize, threads, n, requestTimeoutMillis,
        idleTimeoutSeconds, paramsRefreshSeconds, driftPerDay, synchronousCommit);
  }

  public ServeSettings withTimeouts(int requestMillis, int idleSeconds) {
    return new ServeSettings(address, port, managementPort, token, poolSize, threads, queue, requestMillis,
        idleSeconds, paramsRefreshSeconds, driftPerDay, synchronousCommit);
  }

  static int wholeNumber(Map<String, String> env, String name, int dflt, int min, int max) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        throw Errors.badSetting(name, v, "a whole number from " + min + " to " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw Errors.badSetting(name, v, "a whole number from " + min + " to " + max);
    }
  }

  @Override
  public String toString() {
    return "ServeSettings[address=" + address + ", port=" + port + ", managementPort=" + managementPort + ", token="
        + (token == null ? "off" : "set") + ", pool=" + poolSize + ", threads=" + threads + ", queue=" + queue
        + ", requestTimeoutMillis=" + requestTimeoutMillis + ", idleTimeoutSeconds=" + idleTimeoutSeconds
        + ", paramsRefreshSeconds=" + paramsRefreshSeconds + ", driftPerDay=" + driftPerDay + ", synchronousCommit="
        + synchronousCommit + "]";
  }
}
