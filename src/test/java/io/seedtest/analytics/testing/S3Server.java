package io.seedtest.analytics.testing;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 server inside the test JVM: s3proxy (the S3 REST API, signatures included) over its
 * in-memory "transient" store, on a free loopback port. Spark reaches it through s3a
 * exactly as it reaches AWS, with the settings of {@link #hadoopConf()}.
 */
public final class S3Server implements AutoCloseable {
  public static final String ACCESS_KEY = "seedtest-test";
  public static final String SECRET_KEY = "seedtest-test-secret";

  private final BlobStore store;
  private final S3Proxy proxy;

  private S3Server(BlobStore store, S3Proxy proxy) {
    this.store = store;
    this.proxy = proxy;
  }

  /** Starts the server with the given buckets created. */
  public static S3Server start(String... buckets) throws Exception {
    BlobStore store = new TransientNio2BlobStore();
    for (String bucket : buckets) {
      store.createContainer(bucket);
    }
    S3Proxy proxy = S3Proxy.builder().blobStore(store)
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    proxy.start();
    long deadline = System.currentTimeMillis() + 30_000;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
      }
      Thread.sleep(20);
    }
    return new S3Server(store, proxy);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  /** The s3a settings (without the spark.hadoop. prefix) that point Hadoop at this server. */
  public Map<String, String> hadoopConf() {
    return hadoopConfFor(endpoint());
  }

  /** The same for a server started elsewhere (another JVM of the test), given its endpoint. */
  public static Map<String, String> hadoopConfFor(String endpoint) {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("fs.s3a.endpoint", endpoint);
    conf.put("fs.s3a.endpoint.region", "us-east-1");
    conf.put("fs.s3a.path.style.access", "true");
    conf.put("fs.s3a.connection.ssl.enabled", "false");
    conf.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    conf.put("fs.s3a.access.key", ACCESS_KEY);
    conf.put("fs.s3a.secret.key", SECRET_KEY);
    return conf;
  }

  /** Every object key under {@code prefix} in {@code bucket}. */
  public List<String> keys(String bucket, String prefix) {
    List<String> keys = new ArrayList<>();
    String token = null;
    while (true) {
      ListObjectsV2Response page = store.list(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix)
          .continuationToken(token).build());
      page.contents().stream().map(S3Object::key).forEach(keys::add);
      if (!Boolean.TRUE.equals(page.isTruncated())) {
        return keys;
      }
      token = page.nextContinuationToken();
    }
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    store.close();
  }
}
