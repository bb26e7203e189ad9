package io.seedtest.analytics.serve;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The read timeout of one request, first in the pipeline so that it sees raw bytes: the request
 * must arrive whole within {@code timeoutMillis} of the connection being opened or of its first
 * byte, else the connection is closed. A stalled client (a request line and nothing more) and a
 * trickling one (a byte per second) both end there: a pause timeout alone would let the second
 * hold its connection forever. Between requests of a kept-alive connection the clock is off; the
 * idle timeout of the pipeline covers that time.
 */
final class RequestDeadline extends ChannelDuplexHandler {
  private final long timeoutMillis;
  private final Runnable onExpiry;
  private ScheduledFuture<?> deadline;
  private boolean answering;

  RequestDeadline(long timeoutMillis, Runnable onExpiry) {
    this.timeoutMillis = timeoutMillis;
    this.onExpiry = onExpiry;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    arm(ctx);
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (deadline == null && !answering) {
      arm(ctx);
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancel();
    super.channelInactive(ctx);
  }

  /** The request has arrived whole: stop its clock until the answer is written. */
  void requestComplete() {
    cancel();
    answering = true;
  }

  /** The answer is written: the next byte starts the next request's clock. */
  void responseWritten() {
    answering = false;
  }

  boolean answering() {
    return answering;
  }

  private void arm(ChannelHandlerContext ctx) {
    deadline = ctx.executor().schedule(() -> {
      deadline = null;
      if (!answering && ctx.channel().isOpen()) {
        onExpiry.run();
        ctx.close();
      }
    }, timeoutMillis, TimeUnit.MILLISECONDS);
  }

  private void cancel() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }
}
