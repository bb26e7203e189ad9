package io.seedtest.analytics.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 exchange over a fresh loopback socket, bytes exactly as given: what a probe does
 * (a new connection each time, as the kubelet's), and the only way to send requests that an HTTP
 * client library refuses to build (bad escapes, markup, broken request lines).
 */
public final class RawHttp {
  private RawHttp() {}

  /** The status code, Content-Type, body and the time from connect to the last byte. */
  public record Reply(int status, String contentType, String body, long nanos) {
    public double millis() {
      return nanos / 1e6;
    }
  }

  /** {@code GET path} with {@code Connection: close}. */
  public static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  }

  /** Sends {@code request} (ISO-8859-1) to 127.0.0.1:{@code port} and reads one response. */
  public static Reply exchange(int port, String request, int timeoutMillis) throws IOException {
    long t0 = System.nanoTime();
    try (Socket s = new Socket()) {
      s.setTcpNoDelay(true);
      s.setSoTimeout(timeoutMillis);
      s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      String head = readHead(in);
      int status = Integer.parseInt(head.substring(9, 12));
      String contentType = null;
      int length = -1;
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).trim();
        if (name.equals("content-type")) {
          contentType = value;
        } else if (name.equals("content-length")) {
          length = Integer.parseInt(value);
        }
      }
      byte[] body = length >= 0 ? in.readNBytes(length) : in.readAllBytes();
      return new Reply(status, contentType, new String(body, StandardCharsets.UTF_8), System.nanoTime() - t0);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(256);
    int matched = 0;
    while (matched < 4) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("the server closed the connection before a complete response head");
      }
      b.write(c);
      matched = (c == '\r' && (matched == 0 || matched == 2)) || (c == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : (c == '\r' ? 1 : 0);
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }
}
