package io.seedtest.analytics.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What both load generators ({@link LoadGenerator}, {@link OpenLoadGenerator}) send: POSTs to a
 * loopback URL, one per {@code user_id session_id} line of the requests file, with an optional
 * bearer token, over the JDK's HTTP/1.1 client.
 */
record LoadTarget(URI base, List<String> lines, String token) {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** The target from the command line; refuses anything but loopback (a load test is never aimed elsewhere). */
  static LoadTarget of(String url, String requestsFile, String token) throws IOException {
    URI base = URI.create(url);
    if (!"127.0.0.1".equals(base.getHost()) && !"localhost".equals(base.getHost())) {
      throw new IllegalArgumentException("the load generator only talks to loopback, not " + base.getHost());
    }
    return new LoadTarget(base, Files.readAllLines(Path.of(requestsFile)), token);
  }

  static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
  }

  /** The request of line {@code i}. */
  HttpRequest request(int i, Duration timeout) {
    String[] us = lines.get(i).trim().split("\\s+");
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "?user_id=" + us[0] + "&session_id=" + us[1]))
        .POST(HttpRequest.BodyPublishers.noBody()).timeout(timeout);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b.build();
  }

  /** {@code status:count,...}, the RESULT line's statuses field. */
  static String statuses(Map<Integer, Long> byStatus) {
    StringBuilder b = new StringBuilder();
    byStatus.forEach((k, v) -> b.append(b.length() == 0 ? "" : ",").append(k).append(':').append(v));
    return b.toString();
  }
}
