package io.seedtest.analytics.serve;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.timeout.WriteTimeoutHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's HTTP, on the event loop: routing, the update path's authenticator (asked before
 * the path's handler, for any method), the parameters, and every answer (errors included) as JSON. Only the update itself leaves the event loop, for a request thread;
 * when their queue is full the request is answered 503 here, at once. One request at a time per
 * connection (auto-read is off; the next is read when the answer is written), so a pipelining
 * client gets its answers in order and cannot queue work faster than it is answered.
 */
final class EndpointHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointHandler.class);
  /** The endpoint takes no body; a client may send a small one, a large one is refused. */
  static final int MAX_BODY_BYTES = 64 * 1024;
  private static final String USAGE = "POST " + IrtUpdateServer.PATH + "?user_id=&session_id=";

  private final IrtUpdateServer server;
  private final boolean api;
  private final RequestDeadline deadline;
  private final BearerAuthenticator authenticator;

  private EndpointHandler(IrtUpdateServer server, boolean api, RequestDeadline deadline,
      BearerAuthenticator authenticator) {
    this.server = server;
    this.api = api;
    this.deadline = deadline;
    this.authenticator = authenticator;
  }

  /**
   * The pipeline of one connection to the API port ({@code api}) or the management port. An answer
   * the client does not take within the request timeout (it stopped reading) closes the connection,
   * as a request that does not arrive in time does.
   */
  static ChannelInitializer<SocketChannel> initializer(IrtUpdateServer server, boolean api,
      BearerAuthenticator authenticator) {
    ServeSettings s = server.settings();
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        RequestDeadline deadline = new RequestDeadline(s.requestTimeoutMillis(),
            () -> server.metrics.connectionClosed("request_timeout"));
        ch.pipeline().addLast(deadline,
            new ResponseDeadline(s.requestTimeoutMillis(), () -> server.metrics.connectionClosed("response_timeout")),
            new IdleStateHandler(0, 0, s.idleTimeoutSeconds(), TimeUnit.SECONDS),
            new HttpServerCodec(new HttpDecoderConfig().setMaxInitialLineLength(8192).setMaxHeaderSize(16384)),
            new BodyLimit(),
            new FlowControlHandler(),
            new EndpointHandler(server, api, deadline, authenticator));
      }
    };
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    ctx.read();
    super.channelActive(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      if (!deadline.answering()) {
        server.metrics.connectionClosed("idle");
        ctx.close();
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("serve: connection {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    deadline.requestComplete();
    long t0 = System.nanoTime();
    if (!req.decoderResult().isSuccess()) {
      Throwable why = req.decoderResult().cause();
      respond(ctx, HttpVersion.HTTP_1_1, false, 400, IrtUpdateServer.error("malformed HTTP request"
          + (why == null ? "" : ": " + why.getClass().getSimpleName())), -1);
      return;
    }
    HttpVersion version = req.protocolVersion();
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    String path;
    Map<String, List<String>> params;
    try {
      QueryStringDecoder q = new QueryStringDecoder(req.uri());
      path = q.path();
      params = q.parameters();
    } catch (IllegalArgumentException e) {
      respond(ctx, version, keepAlive, 400, IrtUpdateServer.error("the path or query is not valid URL encoding"
          + " (a % must be followed by two hex digits of UTF-8); use " + USAGE), -1);
      return;
    }
    if (path.equals(IrtUpdateServer.LIVE)) {
      respond(ctx, version, keepAlive, 200, "{\"status\":\"live\"}", -1);
    } else if (path.equals(IrtUpdateServer.HEALTH)) {
      IrtUpdateServer.Response r = server.readiness();
      respond(ctx, version, keepAlive, r.status(), r.body(), -1);
    } else if (!api && path.equals(IrtUpdateServer.METRICS)) {
      FullHttpResponse res = response(version, 200, server.renderMetrics(), ServeMetrics.contentType());
      write(ctx, res, keepAlive);
    } else if (api && path.equals(IrtUpdateServer.PATH)) {
      if (authenticator != null && !authenticator.authenticate(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
        FullHttpResponse res = response(version, 401,
            IrtUpdateServer.error("a bearer token is required (Authorization: Bearer <token>)"), null);
        res.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, BearerAuthenticator.CHALLENGE);
        finish(ctx, res, keepAlive, t0);
        return;
      }
      update(ctx, req, version, keepAlive, params, t0);
    } else {
      String hint = api && path.equals(IrtUpdateServer.METRICS) ? "; /metrics is served on the management port"
          : api ? "; the endpoint is " + USAGE : "; this is the management port (/healthz, /healthz/live, /metrics)";
      respond(ctx, version, keepAlive, 404, IrtUpdateServer.error("no such path" + hint), -1);
    }
  }

  private void update(ChannelHandlerContext ctx, FullHttpRequest req, HttpVersion version, boolean keepAlive,
      Map<String, List<String>> params, long t0) {
    if (!HttpMethod.POST.equals(req.method())) {
      FullHttpResponse res = response(version, 405, IrtUpdateServer.error("use " + USAGE), null);
      res.headers().set(HttpHeaderNames.ALLOW, "POST");
      finish(ctx, res, keepAlive, t0);
      return;
    }
    long userId;
    long sessionId;
    try {
      userId = id(params, "user_id");
      sessionId = id(params, "session_id");
    } catch (IllegalArgumentException e) {
      respond(ctx, version, keepAlive, 400, IrtUpdateServer.error(e.getMessage()), t0);
      return;
    }
    try {
      server.submit(() -> {
        IrtUpdateServer.Response r = server.update(userId, sessionId);
        respond(ctx, version, keepAlive, r.status(), r.body(), t0);
        if (LOG.isDebugEnabled()) {
          LOG.debug("serve: POST {}?user_id={}&session_id={} -> {}", IrtUpdateServer.PATH, userId, sessionId, r.status());
        }
      });
    } catch (RejectedExecutionException e) {
      respond(ctx, version, keepAlive, 503, IrtUpdateServer.error("the server is busy (" + server.settings().queue()
          + " requests already wait); retry after a second"), t0);
    }
  }

  /**
   * An id as PostgreSQL's BIGINT holds it: 1 to 9223372036854775807. The platform's ids are
   * BIGINTs and the simulator makes 19-digit ones, so any narrower rule refuses real sessions.
   */
  static long id(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    if (values == null || values.isEmpty() || values.get(0).isEmpty()) {
      throw new IllegalArgumentException("missing parameter " + name + " (" + USAGE + ")");
    }
    if (values.size() > 1) {
      throw new IllegalArgumentException("parameter " + name + " is given twice");
    }
    String v = values.get(0);
    long id = 0;
    if (v.matches("[0-9]{1,19}")) {
      try {
        id = Long.parseLong(v);
      } catch (NumberFormatException beyondBigint) {
        id = 0;
      }
    }
    if (id <= 0) {
      throw new IllegalArgumentException(name + " must be a whole number from 1 to " + Long.MAX_VALUE
          + " (a BIGINT), got '" + (v.length() > 40 ? v.substring(0, 40) + "…" : v) + "'");
    }
    return id;
  }

  /** Answers JSON; {@code t0 >= 0} marks an update request, counted in the metrics. */
  private void respond(ChannelHandlerContext ctx, HttpVersion version, boolean keepAlive, int status, String body,
      long t0) {
    FullHttpResponse res = response(version, status, body, null);
    if (t0 >= 0) {
      finish(ctx, res, keepAlive, t0);
    } else {
      write(ctx, res, keepAlive);
    }
  }

  private void finish(ChannelHandlerContext ctx, FullHttpResponse res, boolean keepAlive, long t0) {
    write(ctx, res, keepAlive);
    server.metrics.record(res.status().code(), System.nanoTime() - t0);
  }

  static FullHttpResponse response(HttpVersion version, int status, String body, String contentType) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    FullHttpResponse res = new DefaultFullHttpResponse(version, HttpResponseStatus.valueOf(status),
        Unpooled.wrappedBuffer(bytes));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType == null ? "application/json; charset=utf-8" : contentType)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .set("X-Content-Type-Options", "nosniff");
    if (status == 503) {
      res.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
    }
    return res;
  }

  /** Writes the answer (from any thread), then closes the connection or reads its next request. */
  private void write(ChannelHandlerContext ctx, FullHttpResponse res, boolean keepAlive) {
    HttpUtil.setKeepAlive(res, keepAlive);
    ctx.writeAndFlush(res).addListener(f -> {
      if (!keepAlive || !f.isSuccess()) {
        ctx.close();
      } else {
        deadline.responseWritten();
        ctx.read();
      }
    });
  }

  /** Aggregates a request and its (ignored) body; a body over {@link #MAX_BODY_BYTES} gets JSON 413, not Netty's empty one. */
  private static final class BodyLimit extends HttpObjectAggregator {
    BodyLimit() {
      super(MAX_BODY_BYTES);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      FullHttpResponse res = response(HttpVersion.HTTP_1_1, 413,
          IrtUpdateServer.error("the request body is over " + MAX_BODY_BYTES + " bytes; the endpoint takes none"), null);
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(res).addListener(f -> ctx.close());
    }
  }

  /**
   * The response timeout: an answer not taken by the client within the timeout (it stopped
   * reading, and the socket's buffer is full) closes the connection; without it such a client
   * would hold its connection and the answer's memory for as long as it liked.
   */
  private static final class ResponseDeadline extends WriteTimeoutHandler {
    private final Runnable onExpiry;

    ResponseDeadline(long timeoutMillis, Runnable onExpiry) {
      super(timeoutMillis, TimeUnit.MILLISECONDS);
      this.onExpiry = onExpiry;
    }

    @Override
    protected void writeTimedOut(ChannelHandlerContext ctx) throws Exception {
      onExpiry.run();
      super.writeTimedOut(ctx);
    }
  }
}
