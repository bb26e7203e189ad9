package io.seedtest.analytics.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Clients that hold a server's connections without finishing a request, each on its own thread,
 * reconnecting whenever the server closes them, until {@link #close()}:
 *
 * <ul>
 *   <li>{@link Kind#STALLED}: a request line and one header, then silence (the classic half-sent
 *       request);
 *   <li>{@link Kind#TRICKLING}: the request line and headers at one byte per second (slowloris);
 *   <li>{@link Kind#TRICKLING_BODY}: complete headers announcing a 1,000-byte body, sent at one byte
 *       per second.
 * </ul>
 *
 * Records how long each connection lived before the server cut it.
 */
public final class AbusiveClients implements AutoCloseable {
  public enum Kind { STALLED, TRICKLING, TRICKLING_BODY }

  private static final String TARGET = "/analysis/irt/update?user_id=1&session_id=1";
  private final List<Thread> threads = new ArrayList<>();
  private final ConcurrentLinkedQueue<Long> cutAfterMillis = new ConcurrentLinkedQueue<>();
  private volatile boolean running = true;

  private AbusiveClients() {}

  /** Starts {@code count} clients of {@code kind} against 127.0.0.1:{@code port}. */
  public static AbusiveClients start(Kind kind, int count, int port) {
    AbusiveClients a = new AbusiveClients();
    for (int i = 0; i < count; i++) {
      Thread t = new Thread(() -> a.loop(kind, port), "abuser-" + kind + "-" + i);
      t.setDaemon(true);
      a.threads.add(t);
      t.start();
    }
    return a;
  }

  private void loop(Kind kind, int port) {
    while (running) {
      long t0 = System.nanoTime();
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        s.setSoTimeout(kind == Kind.STALLED ? 200 : 1_000);
        if (hold(kind, s.getOutputStream(), s.getInputStream())) {
          cutAfterMillis.add((System.nanoTime() - t0) / 1_000_000);
        }
      } catch (IOException e) {
        if (running) {
          cutAfterMillis.add((System.nanoTime() - t0) / 1_000_000);
        }
      }
    }
  }

  /** Plays the client until the server closes (true) or the clients are stopped (false). */
  private boolean hold(Kind kind, OutputStream out, InputStream in) throws IOException {
    String head = "POST " + TARGET + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    byte[] slow;
    if (kind == Kind.STALLED) {
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      slow = new byte[0];
    } else if (kind == Kind.TRICKLING) {
      slow = (head + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    } else {
      out.write((head + "Content-Length: 1000\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      slow = new byte[1000];
      Arrays.fill(slow, (byte) 'x');
    }
    int next = 0;
    while (running) {
      if (next < slow.length) {
        out.write(slow[next++]);
        out.flush();
      }
      try {
        if (in.read() < 0) {
          return true;
        }
      } catch (SocketTimeoutException stillOpen) {
        // the server still holds the connection: one more byte (or more silence)
      }
    }
    return false;
  }

  /** Connections the server closed so far. */
  public int connectionsCut() {
    return cutAfterMillis.size();
  }

  /** How long cut connections lived, sorted (ms). */
  public long[] cutAfterMillis() {
    return cutAfterMillis.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join(5_000);
    }
  }
}
