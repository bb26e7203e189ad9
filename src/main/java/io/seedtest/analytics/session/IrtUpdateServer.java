package io.seedtest.analytics.session;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.seedtest.analytics.config.DatabaseUrl;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code seedtest serve}: the session-end θ update over HTTP, on the JDK's own server
 * ({@code com.sun.net.httpserver}) and a small JDBC pool, with no Spark anywhere in the request
 * path.
 *
 * <pre>
 *   POST /analysis/irt/update?user_id=U&amp;session_id=S
 *     200 {"user_id":U,"session_id":S,"theta":…,"se":…,"answers_used":…,"skipped":…,"invalid":…,
 *          "outcome":"updated","already_applied":false,"caught_up":0}
 *     400 malformed or missing parameter · 401 token required and missing/wrong · 404 unknown user or
 *     session (or not hers) · 405 not a POST · 503 database down/busy, item parameters not loaded
 *   GET /healthz        readiness: 200 when a database connection answers, else 503
 *   GET /healthz/live   liveness: 200 while the server thread answers
 *   GET /metrics        Prometheus text format: requests by status, latency histogram, pool use
 * </pre>
 *
 * Every error is JSON {@code {"error": "..."}}. One DEBUG line per request; an INFO summary (counts
 * by status, p50/p99 latency) at most once a minute. The token is never logged.
 */
public final class IrtUpdateServer implements AutoCloseable {
  public static final String PATH = "/analysis/irt/update";
  public static final String HEALTH = "/healthz";
  public static final String METRICS = "/metrics";
  private static final Logger LOG = LoggerFactory.getLogger(IrtUpdateServer.class);
  private static final long SUMMARY_EVERY_SECONDS = 60;

  static {
    // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm
    // and the client's delayed ACK hold every response back ~40 ms. Read once, when the first
    // server is created, so it is set here, before any.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final ServeSettings settings;
  private final DatabaseUrl db;
  private final ConnectionPool pool;
  private final OnlineUpdater updater;
  private final byte[] token;
  private final RequestStats stats = new RequestStats();
  private final EndpointMetrics metrics = new EndpointMetrics();
  private final ScheduledExecutorService background;
  private final ExecutorService requests;
  private volatile Snapshot snapshot;
  private HttpServer http;

  /** The item parameters and bank the requests use, replaced when a calibration changes them. */
  private record Snapshot(ItemParamsSnapshot params, SessionTables.ItemBankSnapshot bank) {}

  public IrtUpdateServer(ServeSettings settings, DatabaseUrl db) {
    this.settings = settings;
    this.db = db;
    this.pool = new ConnectionPool(db, settings.poolSize(), 2_000, "15s", settings.synchronousCommit());
    this.updater = new OnlineUpdater(new UpdateRule(settings.driftPerDay()));
    this.token = settings.token() == null ? null : settings.token().getBytes(StandardCharsets.UTF_8);
    AtomicInteger n = new AtomicInteger();
    this.requests = Executors.newFixedThreadPool(settings.threads(), r -> {
      Thread t = new Thread(r, "irt-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.background = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "irt-background");
      t.setDaemon(true);
      return t;
    });
  }

  /** Binds and starts serving; returns at once. */
  public IrtUpdateServer start() throws IOException {
    refreshParams();
    http = HttpServer.create(new InetSocketAddress(settings.address(), settings.port()), 512);
    http.createContext(PATH, this::handleUpdate);
    http.createContext(HEALTH, this::handleHealth);
    http.createContext(METRICS, this::handleMetrics);
    http.createContext("/", ex -> respond(ex, 404, error("no such path: " + ex.getRequestURI().getPath())));
    http.setExecutor(requests);
    http.start();
    background.scheduleWithFixedDelay(this::refreshQuietly, settings.paramsRefreshSeconds(),
        settings.paramsRefreshSeconds(), TimeUnit.SECONDS);
    background.scheduleWithFixedDelay(this::logSummary, SUMMARY_EVERY_SECONDS, SUMMARY_EVERY_SECONDS, TimeUnit.SECONDS);
    Snapshot s = snapshot;
    LOG.info("serve: POST http://{}:{}{} (token {}, {} database connections to {}, {} threads, drift {} per day,"
            + " synchronous commit {}); {}", settings.address(), port(), PATH, token == null ? "off" : "required",
        pool.size(), db, settings.threads(), settings.driftPerDay(), settings.synchronousCommit() ? "on" : "off",
        s == null ? "item parameters NOT loaded yet (database unreachable?): answering 503 until they are"
            : s.params().size() + " calibrated items (calibration " + s.params().calibrationId() + ")");
    return this;
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return http.getAddress().getPort();
  }

  @Override
  public void close() {
    if (http != null) {
      http.stop(0);
    }
    background.shutdownNow();
    requests.shutdownNow();
    pool.close();
    logSummary();
  }

  // ---- item parameters ----------------------------------------------------------------------------

  private void refreshQuietly() {
    try {
      refreshParams();
    } catch (RuntimeException e) {
      LOG.warn("serve: could not refresh the item parameters: {}", e.getMessage());
    }
  }

  /** Loads the item parameters and bank when their fingerprint changed (or none are loaded). */
  void refreshParams() {
    Connection c = null;
    boolean broken = false;
    try {
      c = pool.borrow();
      Snapshot current = snapshot;
      if (current != null && SessionTables.itemParamsFingerprint(c).equals(current.params().fingerprint())) {
        return;
      }
      ItemParamsSnapshot params = SessionTables.loadItemParams(c);
      SessionTables.ItemBankSnapshot bank = SessionTables.loadItemBank(c);
      snapshot = new Snapshot(params, bank);
      if (current != null) {
        LOG.info("serve: item parameters reloaded: {} calibrated items (calibration {})", params.size(),
            params.calibrationId());
      }
    } catch (SQLException e) {
      broken = ConnectionPool.isConnectionError(e);
      LOG.warn("serve: could not load the item parameters: {}", io.seedtest.analytics.Errors.describe(e));
    } finally {
      pool.release(c, broken);
    }
  }

  // ---- requests -----------------------------------------------------------------------------------

  private void handleUpdate(HttpExchange ex) throws IOException {
    long t0 = System.nanoTime();
    int status = 500;
    String body;
    String query = ex.getRequestURI().getRawQuery();
    try {
      drain(ex);
      Response r = update(ex, query);
      status = r.status();
      body = r.body();
      if (r.status() == 405) {
        ex.getResponseHeaders().set("Allow", "POST");
      } else if (r.status() == 401) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"seedtest\"");
      } else if (r.status() == 503) {
        ex.getResponseHeaders().set("Retry-After", "1");
      }
    } catch (RuntimeException e) {
      LOG.warn("serve: internal error on {} {}: {}", ex.getRequestMethod(), PATH, e.toString());
      body = error("internal error: " + e.getClass().getSimpleName());
      status = 500;
    }
    respond(ex, status, body);
    long micros = (System.nanoTime() - t0) / 1000;
    stats.record(status, micros);
    metrics.record(status, micros);
    if (LOG.isDebugEnabled()) {
      LOG.debug("serve: {} {}?{} -> {} in {} µs", ex.getRequestMethod(), PATH, query, status, micros);
    }
  }

  private record Response(int status, String body) {}

  private Response update(HttpExchange ex, String query) {
    if (!PATH.equals(ex.getRequestURI().getPath())) {
      return new Response(404, error("no such path: " + ex.getRequestURI().getPath()));
    }
    if (!"POST".equals(ex.getRequestMethod())) {
      return new Response(405, error("use POST " + PATH + "?user_id=&session_id="));
    }
    if (token != null && !authorized(ex.getRequestHeaders().getFirst("Authorization"))) {
      return new Response(401, error("a bearer token is required (Authorization: Bearer <token>)"));
    }
    long userId;
    long sessionId;
    try {
      Map<String, String> params = parseQuery(query);
      userId = positiveId(params, "user_id");
      sessionId = positiveId(params, "session_id");
    } catch (IllegalArgumentException e) {
      return new Response(400, error(e.getMessage()));
    }
    Snapshot s = snapshot;
    if (s == null) {
      return new Response(503, error("item parameters are not loaded (database unavailable); retry later"));
    }
    Connection c;
    try {
      c = pool.borrow();
    } catch (SQLException | RuntimeException e) {
      return new Response(503, error("database unavailable: " + (e instanceof SQLException se
          ? io.seedtest.analytics.Errors.describe(se) : "cannot connect")));
    }
    boolean broken = false;
    try {
      OnlineUpdater.Reply reply = updater.update(c, userId, sessionId, s.params(), s.bank(), Instant.now());
      if (reply instanceof OnlineUpdater.NotFound nf) {
        return new Response(404, error(nf.message()));
      }
      OnlineUpdater.Applied a = (OnlineUpdater.Applied) reply;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("user_id", a.userId());
      m.put("session_id", a.sessionId());
      m.put("theta", a.theta());
      m.put("se", a.se());
      m.put("answers_used", a.answersUsed());
      m.put("skipped", a.skipped());
      m.put("invalid", a.invalid());
      m.put("outcome", a.outcome());
      m.put("already_applied", a.alreadyApplied());
      m.put("caught_up", a.caughtUp());
      return new Response(200, Json.object(m));
    } catch (SQLException e) {
      broken = ConnectionPool.isConnectionError(e);
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      if (broken || state.equals("40P01") || state.equals("40001") || state.equals("55P03") || state.equals("57014")) {
        return new Response(503, error("database unavailable or busy: " + io.seedtest.analytics.Errors.describe(e)));
      }
      LOG.warn("serve: database error for user {} session {}: {}", userId, sessionId,
          io.seedtest.analytics.Errors.describe(e));
      return new Response(500, error("database error: " + io.seedtest.analytics.Errors.describe(e)));
    } finally {
      pool.release(c, broken);
    }
  }

  private void handleHealth(HttpExchange ex) throws IOException {
    drain(ex);
    String path = ex.getRequestURI().getPath();
    if (path.equals(HEALTH + "/live")) {
      respond(ex, 200, "{\"status\":\"live\"}");
      return;
    }
    if (!path.equals(HEALTH)) {
      respond(ex, 404, error("no such path: " + path));
      return;
    }
    Connection c = null;
    boolean ok = false;
    try {
      c = pool.borrow();
      ok = c.isValid(2);
    } catch (SQLException | RuntimeException e) {
      ok = false;
    } finally {
      pool.release(c, !ok);
    }
    Snapshot s = snapshot;
    if (ok && s == null) {
      refreshQuietly();
      s = snapshot;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", ok && s != null ? "ok" : "unavailable");
    m.put("database", ok ? "ok" : "unreachable");
    m.put("calibrated_items", s == null ? null : s.params().size());
    respond(ex, ok && s != null ? 200 : 503, Json.object(m));
  }

  private void handleMetrics(HttpExchange ex) throws IOException {
    drain(ex);
    if (!ex.getRequestURI().getPath().equals(METRICS)) {
      respond(ex, 404, error("no such path: " + ex.getRequestURI().getPath()));
      return;
    }
    Snapshot s = snapshot;
    byte[] bytes = metrics.render(pool.inUse(), pool.size(), s == null ? -1 : s.params().size())
        .getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    ex.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private boolean authorized(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token);
  }

  static Map<String, String> parseQuery(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String kv : raw.split("&")) {
      if (kv.isEmpty()) {
        continue;
      }
      int eq = kv.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
      if (out.put(k, v) != null) {
        throw new IllegalArgumentException("parameter " + k + " is given twice");
      }
    }
    return out;
  }

  static long positiveId(Map<String, String> params, String name) {
    String v = params.get(name);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("missing parameter " + name + " (POST " + PATH + "?user_id=&session_id=)");
    }
    if (!v.matches("[0-9]{1,18}") || Long.parseLong(v) <= 0) {
      throw new IllegalArgumentException(name + " must be a positive whole number, got '"
          + (v.length() > 40 ? v.substring(0, 40) + "…" : v) + "'");
    }
    return Long.parseLong(v);
  }

  static String error(String message) {
    return Json.object(Map.of("error", message));
  }

  private static void drain(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
    }
  }

  private static void respond(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private void logSummary() {
    RequestStats.Window w = stats.drain();
    if (w.count() > 0) {
      LOG.info("serve: {} requests in the last {} s ({}), latency p50 {} ms, p99 {} ms", w.count(), w.seconds(),
          w.byStatus(), String.format("%.1f", w.p50Micros() / 1000.0), String.format("%.1f", w.p99Micros() / 1000.0));
    }
  }
}
