package io.seedtest.analytics.testing;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;

/**
 * A real S3 server inside the test JVM: s3proxy (the S3 REST API, signatures included) over
 * jclouds' in-memory "transient" store, on a free loopback port. Spark reaches it through s3a
 * exactly as it reaches AWS, with the settings of {@link #hadoopConf()}.
 */
public final class S3Server implements AutoCloseable {
  public static final String ACCESS_KEY = "seedtest-test";
  public static final String SECRET_KEY = "seedtest-test-secret";

  private final BlobStoreContext context;
  private final S3Proxy proxy;

  private S3Server(BlobStoreContext context, S3Proxy proxy) {
    this.context = context;
    this.proxy = proxy;
  }

  /** Starts the server with the given buckets created. */
  public static S3Server start(String... buckets) throws Exception {
    BlobStoreContext context = ContextBuilder.newBuilder("transient").credentials("local", "local")
        .build(BlobStoreContext.class);
    for (String bucket : buckets) {
      context.getBlobStore().createContainerInLocation(null, bucket);
    }
    S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore())
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
    return new S3Server(context, proxy);
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
    BlobStore store = context.getBlobStore();
    List<String> keys = new ArrayList<>();
    ListContainerOptions options = ListContainerOptions.Builder.prefix(prefix).recursive();
    while (true) {
      PageSet<? extends StorageMetadata> page = store.list(bucket, options);
      page.forEach(m -> keys.add(m.getName()));
      if (page.getNextMarker() == null) {
        return keys;
      }
      options = ListContainerOptions.Builder.prefix(prefix).recursive().afterMarker(page.getNextMarker());
    }
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    context.close();
  }
}
