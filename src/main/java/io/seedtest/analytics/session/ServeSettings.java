package io.seedtest.analytics.session;

import io.seedtest.analytics.Errors;
import java.util.Map;

/**
 * Settings of {@code seedtest serve}, from the environment (flags of the command override the
 * non-secret ones). The token is never printed: {@link #toString()} says only whether one is set.
 *
 * <ul>
 *   <li>{@code SEEDTEST_HTTP_ADDRESS} bind address (default 127.0.0.1; 0.0.0.0 in a pod)
 *   <li>{@code SEEDTEST_HTTP_PORT} port (default 8080; 0 = any free port)
 *   <li>{@code SEEDTEST_HTTP_TOKEN} when set, every request to the update path needs
 *       {@code Authorization: Bearer <token>} (health checks do not)
 *   <li>{@code SEEDTEST_HTTP_DB_POOL} PostgreSQL connections (default 8)
 *   <li>{@code SEEDTEST_HTTP_THREADS} request threads (default 16)
 *   <li>{@code SEEDTEST_HTTP_PARAMS_REFRESH_SECONDS} how often the item parameters are checked for a
 *       new calibration (default 60)
 *   <li>{@code SEEDTEST_IRT_DRIFT_PER_DAY} the update rule's drift (shared with update-abilities)
 *   <li>{@code SEEDTEST_HTTP_SYNCHRONOUS_COMMIT} (false): whether the endpoint's commits wait for the
 *       WAL flush. Off by default: a commit lost in a database crash loses the θ and its
 *       session_ability_updates row together, the exam_results row stays, and the batch job applies
 *       the session again with the same result (docs/irt-online.md, "durability")
 * </ul>
 */
public record ServeSettings(String address, int port, String token, int poolSize, int threads,
    int paramsRefreshSeconds, double driftPerDay, boolean synchronousCommit) {

  public static final String ADDRESS = "SEEDTEST_HTTP_ADDRESS";
  public static final String PORT = "SEEDTEST_HTTP_PORT";
  public static final String TOKEN = "SEEDTEST_HTTP_TOKEN";
  public static final String POOL = "SEEDTEST_HTTP_DB_POOL";
  public static final String THREADS = "SEEDTEST_HTTP_THREADS";
  public static final String REFRESH = "SEEDTEST_HTTP_PARAMS_REFRESH_SECONDS";
  public static final String DRIFT = "SEEDTEST_IRT_DRIFT_PER_DAY";
  public static final String SYNCHRONOUS_COMMIT = "SEEDTEST_HTTP_SYNCHRONOUS_COMMIT";

  public static final int DEFAULT_PORT = 8080;

  public static ServeSettings fromEnvironment(Map<String, String> env) {
    String address = env.getOrDefault(ADDRESS, "127.0.0.1").trim();
    if (address.isEmpty()) {
      address = "127.0.0.1";
    }
    int port = wholeNumber(env, PORT, DEFAULT_PORT, 0, 65535);
    String token = env.get(TOKEN);
    if (token != null && token.isBlank()) {
      token = null;
    }
    int pool = wholeNumber(env, POOL, 8, 1, 1000);
    int threads = wholeNumber(env, THREADS, 16, 1, 10_000);
    int refresh = wholeNumber(env, REFRESH, 60, 1, 86_400);
    double drift = drift(env);
    String sync = env.getOrDefault(SYNCHRONOUS_COMMIT, "false").trim().toLowerCase();
    boolean synchronous = switch (sync) {
      case "", "false", "off", "0", "no" -> false;
      case "true", "on", "1", "yes" -> true;
      default -> throw Errors.badSetting(SYNCHRONOUS_COMMIT, sync, "true or false");
    };
    return new ServeSettings(address, port, token, pool, threads, refresh, drift, synchronous);
  }

  /** The drift setting shared by the endpoint and the batch job. */
  public static double drift(Map<String, String> env) {
    String v = env.get(DRIFT);
    if (v == null || v.isBlank()) {
      return UpdateRule.DEFAULT_DRIFT_PER_DAY;
    }
    try {
      double d = Double.parseDouble(v.trim());
      if (!(d >= 0) || !Double.isFinite(d)) {
        throw Errors.badSetting(DRIFT, v, "a variance per day >= 0, e.g. 0.002");
      }
      return d;
    } catch (NumberFormatException e) {
      throw Errors.badSetting(DRIFT, v, "a variance per day >= 0, e.g. 0.002");
    }
  }

  public ServeSettings withAddress(String a) {
    return new ServeSettings(a, port, token, poolSize, threads, paramsRefreshSeconds, driftPerDay,
        synchronousCommit);
  }

  public ServeSettings withPort(int p) {
    return new ServeSettings(address, p, token, poolSize, threads, paramsRefreshSeconds, driftPerDay,
        synchronousCommit);
  }

  public ServeSettings withToken(String t) {
    return new ServeSettings(address, port, t, poolSize, threads, paramsRefreshSeconds, driftPerDay,
        synchronousCommit);
  }

  public ServeSettings withPool(int n) {
    return new ServeSettings(address, port, token, n, threads, paramsRefreshSeconds, driftPerDay,
        synchronousCommit);
  }

  public ServeSettings withSynchronousCommit(boolean on) {
    return new ServeSettings(address, port, token, poolSize, threads, paramsRefreshSeconds, driftPerDay, on);
  }

  public ServeSettings withThreads(int n) {
    return new ServeSettings(address, port, token, poolSize, n, paramsRefreshSeconds, driftPerDay,
        synchronousCommit);
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
    return "ServeSettings[address=" + address + ", port=" + port + ", token=" + (token == null ? "off" : "set")
        + ", pool=" + poolSize + ", threads=" + threads + ", paramsRefreshSeconds=" + paramsRefreshSeconds
        + ", driftPerDay=" + driftPerDay + ", synchronousCommit=" + synchronousCommit + "]";
  }
}
