package io.seedtest.analytics.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.seedtest.analytics.Errors;
import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.ability.ItemParamsSnapshot;
import io.seedtest.analytics.ability.OnlineUpdater;
import io.seedtest.analytics.ability.SessionTables;
import io.seedtest.analytics.ability.UpdateRule;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code seedtest serve}: the session-end θ update over HTTP, on Netty (the version Spark ships),
 * HikariCP for the database connections, Jackson for the JSON and Prometheus' client_java for the
 * metrics, with no Spark anywhere in the request path.
 *
 * <pre>
 *   API port (SEEDTEST_HTTP_PORT):
 *   POST /analysis/irt/update?user_id=U&amp;session_id=S      Authorization: Bearer &lt;token&gt;
 *     200 {"user_id":U,"session_id":S,"theta":…,"se":…,"answers_used":…,"skipped":…,"invalid":…,
 *          "outcome":"updated","already_applied":false,"caught_up":0}
 *     400 malformed request, path, escape or parameter · 401 token missing/wrong (asked first, any method)
 *     · 404 unknown user or session (or not hers), unknown path · 405 not a POST · 413 a body over 64 KiB
 *     · 503 shed (queue full), database down/busy, item parameters not loaded (with Retry-After)
 *   GET /healthz, /healthz/live (also on the management port)
 *   management port (SEEDTEST_HTTP_MANAGEMENT_PORT):
 *   GET /healthz        readiness: 200 when the database answered the last check (every 2 s) and the
 *                       item parameters are loaded, else 503
 *   GET /healthz/live   liveness: 200 while the event loop runs
 *   GET /metrics        Prometheus text format: requests by status, latency histogram, pool and queue,
 *                       and the JVM's metrics (jvm_*)
 * </pre>
 *
 * Why it cannot be frozen by its clients: requests are parsed on Netty's event loop, which never
 * blocks, so a half-sent or trickling request holds no thread, only its connection, and
 * {@link RequestDeadline} closes that after the request timeout (an answer the client does not take
 * within it closes the connection too); health checks are answered on the event loop from the last
 * readiness check and never wait for a request thread or the database; update requests wait for a
 * thread in a bounded queue and are shed with 503 beyond it. The token is checked by the update
 * path's {@link BearerAuthenticator} before its handler runs. Every
 * answer, errors included, is JSON {@code {"error": "..."}}. One DEBUG line per request; an INFO
 * summary at most once a minute. The token is never logged.
 */
public final class IrtUpdateServer implements AutoCloseable {
  public static final String PATH = "/analysis/irt/update";
  public static final String HEALTH = "/healthz";
  public static final String LIVE = "/healthz/live";
  public static final String METRICS = "/metrics";
  private static final Logger LOG = LoggerFactory.getLogger(IrtUpdateServer.class);
  /** Jackson's writer (Spark's own copy); doubles that are not finite become null, not the invalid NaN. */
  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new SimpleModule()
      .addSerializer(Double.class, new StdSerializer<Double>(Double.class) {
        @Override
        public void serialize(Double d, JsonGenerator g, SerializerProvider p) throws IOException {
          if (Double.isFinite(d)) {
            g.writeNumber(d);
          } else {
            g.writeNull();
          }
        }
      }));
  private static final long SUMMARY_EVERY_SECONDS = 60;
  private static final long READINESS_EVERY_MILLIS = 2_000;

  private final ServeSettings settings;
  private final DatabaseUrl db;
  private final HikariDataSource pool;
  private final OnlineUpdater updater;
  private final BearerAuthenticator authenticator;
  final ServeMetrics metrics;
  private final ScheduledExecutorService background;
  private final ThreadPoolExecutor requests;
  private final EventLoopGroup apiLoop;
  private final EventLoopGroup managementLoop;
  private volatile Snapshot snapshot;
  private volatile boolean databaseReachable;
  private volatile String lastLoadProblem;
  private Channel api;
  private Channel management;

  /** The item parameters and bank the requests use, replaced when a calibration changes them. */
  private record Snapshot(ItemParamsSnapshot params, SessionTables.ItemBankSnapshot bank) {}

  /** What an update request is answered: a status, a JSON body. */
  record Response(int status, String body) {}

  public IrtUpdateServer(ServeSettings settings, DatabaseUrl db) {
    this.settings = settings;
    this.db = db;
    this.pool = pool(db, settings);
    this.updater = new OnlineUpdater(new UpdateRule(settings.driftPerDay()));
    this.authenticator = BearerAuthenticator.forToken(settings.token());
    AtomicInteger n = new AtomicInteger();
    BlockingQueue<Runnable> waiting = settings.queue() == 0 ? new SynchronousQueue<>()
        : new ArrayBlockingQueue<>(settings.queue());
    // AbortPolicy: a full queue throws at once and the request is answered 503 (EndpointHandler)
    this.requests = new ThreadPoolExecutor(settings.threads(), settings.threads(), 0, TimeUnit.MILLISECONDS, waiting,
        r -> daemon(r, "irt-request-" + n.incrementAndGet()), new ThreadPoolExecutor.AbortPolicy());
    this.background = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "irt-background"));
    this.apiLoop = new MultiThreadIoEventLoopGroup(2, (ThreadFactory) r -> daemon(r, "irt-http"), NioIoHandler.newFactory());
    this.managementLoop = new MultiThreadIoEventLoopGroup(1, (ThreadFactory) r -> daemon(r, "irt-management"),
        NioIoHandler.newFactory());
    this.metrics = new ServeMetrics(new ServeMetrics.Gauges(this::connectionsInUse, settings.poolSize(),
        () -> requests.getQueue().size(), settings.queue(), () -> {
          Snapshot s = snapshot;
          return s == null ? -1 : s.params().size();
        }));
  }

  /**
   * At most {@code poolSize} connections, opened on demand and kept while idle; a borrower waits
   * at most 2 s (then 503). Every connection runs with a statement timeout and, unless asked
   * otherwise, without waiting for the WAL flush (docs/irt-online.md, "durability"). The server
   * starts with the database down (no connection is required at start) and heals by itself when it
   * returns: HikariCP evicts connections that failed with a connection error.
   */
  private static HikariDataSource pool(DatabaseUrl db, ServeSettings settings) {
    HikariConfig c = new HikariConfig();
    c.setPoolName("seedtest-serve");
    c.setJdbcUrl(db.jdbcUrl());
    Properties p = db.properties();
    p.setProperty("ApplicationName", "seedtest-serve");
    p.setProperty("connectTimeout", "3");
    p.setProperty("socketTimeout", "30");
    p.setProperty("tcpKeepAlive", "true");
    c.setDataSourceProperties(p);
    c.setMaximumPoolSize(settings.poolSize());
    c.setMinimumIdle(0);
    c.setConnectionTimeout(2_000);
    c.setInitializationFailTimeout(-1);
    c.setConnectionInitSql("SET statement_timeout = '15s'" + (settings.synchronousCommit() ? ""
        : "; SET synchronous_commit = off"));
    return new HikariDataSource(c);
  }

  private int connectionsInUse() {
    HikariPoolMXBean mx = pool.getHikariPoolMXBean();
    return mx == null ? 0 : mx.getActiveConnections();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Binds both ports and starts serving; returns at once. */
  public IrtUpdateServer start() throws IOException {
    refreshParams();
    checkReadiness();
    api = bind(apiLoop, settings.port(), true);
    management = bind(managementLoop, settings.managementPort(), false);
    background.scheduleWithFixedDelay(this::refreshQuietly, settings.paramsRefreshSeconds(),
        settings.paramsRefreshSeconds(), TimeUnit.SECONDS);
    background.scheduleWithFixedDelay(this::checkReadiness, READINESS_EVERY_MILLIS, READINESS_EVERY_MILLIS,
        TimeUnit.MILLISECONDS);
    background.scheduleWithFixedDelay(this::logSummary, SUMMARY_EVERY_SECONDS, SUMMARY_EVERY_SECONDS, TimeUnit.SECONDS);
    Snapshot s = snapshot;
    LOG.info("serve: POST http://{}:{}{} (token {}), health and metrics on port {}; {} database connections to {},"
            + " {} threads, queue {}, request timeout {} ms, idle timeout {} s, drift {} per day, synchronous commit {};"
            + " {}", settings.address(), port(), PATH, authenticator == null ? "OFF (--insecure-no-token)" : "required",
        managementPort(), settings.poolSize(), db, settings.threads(), settings.queue(), settings.requestTimeoutMillis(),
        settings.idleTimeoutSeconds(), settings.driftPerDay(), settings.synchronousCommit() ? "on" : "off",
        s == null ? "item parameters NOT loaded yet (database unreachable?): answering 503 until they are"
            : s.params().size() + " calibrated items (calibration " + s.params().calibrationId() + ")");
    return this;
  }

  private Channel bind(EventLoopGroup loop, int port, boolean isApi) throws IOException {
    ServerBootstrap b = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        // one request at a time per connection: EndpointHandler asks for the next after answering
        .childOption(ChannelOption.AUTO_READ, false)
        .childHandler(EndpointHandler.initializer(this, isApi, authenticator));
    try {
      return b.bind(new InetSocketAddress(settings.address(), port)).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while binding port " + port, e);
    } catch (Exception e) { // Netty rethrows the bind's checked exception undeclared
      if (e instanceof java.net.BindException) {
        throw new java.net.BindException(settings.address() + ":" + port + " (" + e.getMessage() + ")");
      }
      if (e instanceof IOException io) {
        throw io;
      }
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(e);
    }
  }

  /** The API's bound port (useful with port 0). */
  public int port() {
    return ((InetSocketAddress) api.localAddress()).getPort();
  }

  /** The management port (health checks and metrics). */
  public int managementPort() {
    return ((InetSocketAddress) management.localAddress()).getPort();
  }

  ServeSettings settings() {
    return settings;
  }

  @Override
  public void close() {
    if (api != null) {
      api.close().syncUninterruptibly();
    }
    if (management != null) {
      management.close().syncUninterruptibly();
    }
    apiLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    managementLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    background.shutdownNow();
    requests.shutdownNow();
    pool.close();
    logSummary();
  }

  // ---- item parameters and readiness ---------------------------------------------------------------

  private void refreshQuietly() {
    try {
      refreshParams();
    } catch (RuntimeException e) {
      LOG.warn("serve: could not refresh the item parameters: {}", e.getMessage());
    }
  }

  /** Loads the item parameters and bank when their fingerprint changed (or none are loaded). */
  void refreshParams() {
    try (Connection c = pool.getConnection()) {
      Snapshot current = snapshot;
      if (current != null && SessionTables.itemParamsFingerprint(c).equals(current.params().fingerprint())) {
        return;
      }
      ItemParamsSnapshot params = SessionTables.loadItemParams(c);
      SessionTables.ItemBankSnapshot bank = SessionTables.loadItemBank(c);
      snapshot = new Snapshot(params, bank);
      lastLoadProblem = null;
      if (current != null) {
        LOG.info("serve: item parameters reloaded: {} calibrated items (calibration {})", params.size(),
            params.calibrationId());
      }
    } catch (SQLException e) {
      String problem = Errors.describe(e);
      if (!problem.equals(lastLoadProblem)) { // retried every readiness check while none are loaded: say it once
        LOG.warn("serve: could not load the item parameters: {}", problem);
      }
      lastLoadProblem = problem;
    }
  }

  /**
   * Asks the database whether it answers, off the request path, so that a readiness probe is
   * answered at once from the last result. Every connection busy counts as reachable: the
   * database is answering the requests that hold them.
   */
  private void checkReadiness() {
    boolean ok;
    if (connectionsInUse() >= settings.poolSize()) {
      ok = true;
    } else {
      try (Connection c = pool.getConnection()) {
        ok = c.isValid(2);
      } catch (SQLException | RuntimeException e) {
        ok = false;
      }
    }
    databaseReachable = ok;
    if (ok && snapshot == null) {
      refreshQuietly();
    }
  }

  /** The readiness answer: status code and body. */
  Response readiness() {
    Snapshot s = snapshot;
    boolean ok = databaseReachable;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", ok && s != null ? "ok" : "unavailable");
    m.put("database", ok ? "ok" : "unreachable");
    m.put("calibrated_items", s == null ? null : s.params().size());
    return new Response(ok && s != null ? 200 : 503, json(m));
  }

  String renderMetrics() {
    return metrics.render();
  }

  // ---- requests -----------------------------------------------------------------------------------

  /** Runs {@code task} on a request thread; throws {@link java.util.concurrent.RejectedExecutionException} when the queue is full. */
  void submit(Runnable task) {
    requests.execute(task);
  }

  /** One update, on a request thread: the transaction of {@link OnlineUpdater} on a pooled connection. */
  Response update(long userId, long sessionId) {
    Snapshot s = snapshot;
    if (s == null) {
      return new Response(503, error("item parameters are not loaded (database unavailable); retry later"));
    }
    Connection c;
    try {
      c = pool.getConnection();
    } catch (SQLException | RuntimeException e) {
      return new Response(503, error("database unavailable: " + (e instanceof SQLException se
          ? Errors.describe(se) : "cannot connect")));
    }
    try (c) {
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
      return new Response(200, json(m));
    } catch (SQLException e) {
      boolean broken = isConnectionError(e);
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      if (broken || state.equals("40P01") || state.equals("40001") || state.equals("55P03") || state.equals("57014")) {
        return new Response(503, error("database unavailable or busy: " + Errors.describe(e)));
      }
      LOG.warn("serve: database error for user {} session {}: {}", userId, sessionId, Errors.describe(e));
      return new Response(500, error("database error: " + Errors.describe(e)));
    } catch (RuntimeException e) {
      LOG.warn("serve: internal error for user {} session {}: {}", userId, sessionId, e.toString());
      return new Response(500, error("internal error: " + e.getClass().getSimpleName()));
    }
  }

  /** True for errors that mean the connection (or the server) is gone: SQLSTATE class 08, 57P0x. */
  static boolean isConnectionError(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        String state = s.getSQLState();
        if (state.startsWith("08") || state.startsWith("57P")) {
          return true;
        }
      }
    }
    return false;
  }

  static String error(String message) {
    return json(Map.of("error", message));
  }

  /** A flat JSON object; a non-finite double is written as null, as the endpoint has always done. */
  static String json(Map<String, ?> fields) {
    try {
      return JSON.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings, numbers and booleans did not serialise", e);
    }
  }

  private void logSummary() {
    ServeMetrics.Summary w = metrics.sinceLastSummary();
    if (w.count() > 0) {
      LOG.info("serve: {} requests in the last {} s ({}), latency p50 <= {} ms, p99 <= {} ms", w.count(), w.seconds(),
          w.byStatus(), w.p50Millis(), w.p99Millis());
    }
  }
}
