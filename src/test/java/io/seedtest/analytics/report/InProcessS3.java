package io.seedtest.analytics.report;

import io.seedtest.analytics.config.ReportStorage;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * A real S3 server in this JVM: s3proxy over an in-memory store, with AWS v4 authentication. It
 * can be stopped after a given number of PUTs (as if the server went away mid-run) and started
 * again on the same port over the same objects.
 */
final class InProcessS3 implements AutoCloseable {
  static final String KEY = "report-writer";
  static final String SECRET = "s3cr3t-report-writer-key";
  static final String BUCKET = "reports";

  final CountingStore store = new CountingStore();
  private final int port;
  private S3Proxy proxy;

  InProcessS3() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    start();
    store.createContainer(BUCKET);
  }

  void start() throws Exception {
    store.stopAfter = Integer.MAX_VALUE;
    proxy = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:" + port))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, KEY, SECRET).build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(10);
    }
  }

  void stop() throws Exception {
    proxy.stop();
  }

  /** Settings pointing at this server, with the given secret. */
  ReportStorage storage(String secret) {
    return new ReportStorage("s3://" + BUCKET + "/weekly", "http://127.0.0.1:" + port, "us-east-1", true, KEY,
        secret);
  }

  Map<String, String> metadata(String key) {
    return store.blobMetadata(BUCKET, key).metadata();
  }

  String contentType(String key) {
    return store.blobMetadata(BUCKET, key).contentType();
  }

  boolean exists(String key) {
    return store.blobExists(BUCKET, key);
  }

  @Override
  public void close() throws Exception {
    stop();
  }

  /** Counts PUTs and HEADs of objects; once {@link #stopAfter} have succeeded, stops the server from another thread. */
  final class CountingStore extends ForwardingBlobStore {
    final AtomicInteger puts = new AtomicInteger();
    final AtomicInteger heads = new AtomicInteger();
    volatile int stopAfter = Integer.MAX_VALUE;

    CountingStore() {
      super(new TransientNio2BlobStore());
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
      heads.incrementAndGet();
      return super.blobMetadata(request);
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream in) {
      if (puts.get() >= stopAfter) {
        // uploads run concurrently: one already on its way when the server stops must fail too
        throw new IllegalStateException("the test server is going away");
      }
      PutObjectResponse r = super.putBlob(request, in);
      if (puts.incrementAndGet() == stopAfter) {
        new Thread(() -> {
          try {
            stop();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }).start();
      }
      return r;
    }
  }
}
