package io.seedtest.analytics.config;

import io.seedtest.analytics.Errors;
import java.io.Serializable;
import java.util.Map;

/**
 * Where the weekly reports go, read with the same rules as {@link Settings} (environment, flags
 * win, every value checked once):
 *
 * <ul>
 *   <li>{@code SEEDTEST_REPORTS_URL}: {@code s3://bucket/prefix} (or {@code s3a://}), or a local
 *       folder. Unset: {@code reports/} under the lake ({@code s3://} when the lake is on
 *       {@code s3a://}, a local folder in the embedded default).
 *   <li>{@code SEEDTEST_S3_ENDPOINT}: an S3-compatible endpoint (MinIO, Ceph…); unset = AWS.
 *   <li>{@code AWS_REGION} (default {@code us-east-1}), {@code SEEDTEST_S3_PATH_STYLE}
 *       ({@code false}; {@code true} for most S3-compatible servers).
 *   <li>{@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY}: from the Kubernetes Secret;
 *       unset = the AWS SDK's default chain (e.g. a pod's web identity). The secret never appears
 *       in {@link #toString()}.
 * </ul>
 */
public record ReportStorage(String url, String endpoint, String region, boolean pathStyle, String accessKeyId,
    String secretAccessKey) implements Serializable {

  public static final String REPORTS_URL = "SEEDTEST_REPORTS_URL";
  public static final String S3_ENDPOINT = "SEEDTEST_S3_ENDPOINT";
  public static final String REGION = "AWS_REGION";
  public static final String PATH_STYLE = "SEEDTEST_S3_PATH_STYLE";
  public static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
  public static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";

  /** Reads the environment; {@code urlFlag} (--reports-url) overrides {@code SEEDTEST_REPORTS_URL} when non-null. */
  public static ReportStorage load(Map<String, String> env, Settings settings, String urlFlag) {
    String raw = urlFlag != null ? urlFlag : env.get(REPORTS_URL);
    String url = raw == null || raw.isBlank() ? defaultUrl(settings) : raw.trim();
    String endpoint = blankToNull(env.get(S3_ENDPOINT));
    if (endpoint != null && !endpoint.matches("^https?://[^\\s/]+.*")) {
      throw Errors.badSetting(S3_ENDPOINT, endpoint, "an http:// or https:// URL such as https://minio.internal:9000");
    }
    String region = env.getOrDefault(REGION, "");
    region = region.isBlank() ? "us-east-1" : region.trim();
    boolean pathStyle = Settings.bool(env, PATH_STYLE, false);
    String key = blankToNull(env.get(ACCESS_KEY_ID));
    String secret = blankToNull(env.get(SECRET_ACCESS_KEY));
    if ((key == null) != (secret == null)) {
      throw Errors.badSetting(key == null ? ACCESS_KEY_ID : SECRET_ACCESS_KEY, "",
          "set together with " + (key == null ? SECRET_ACCESS_KEY : ACCESS_KEY_ID) + " (or leave both unset)");
    }
    if (isS3(url) && !url.replaceFirst("^s3a?://", "").matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?")) {
      throw Errors.badSetting(REPORTS_URL, url, "s3://bucket/prefix with a valid bucket name");
    }
    return new ReportStorage(url, endpoint, region, pathStyle, key, secret);
  }

  /** reports/ beside the lake's tables: s3a://b/p → s3://b/p/reports; a local lake → its folder. */
  static String defaultUrl(Settings settings) {
    String lake = settings.lake().endsWith("/") ? settings.lake().substring(0, settings.lake().length() - 1)
        : settings.lake();
    return (lake.startsWith("s3a://") ? "s3://" + lake.substring(6) : lake) + "/reports";
  }

  public boolean s3() {
    return isS3(url);
  }

  private static boolean isS3(String url) {
    return url.startsWith("s3://") || url.startsWith("s3a://");
  }

  /** The bucket of an s3:// URL. */
  public String bucket() {
    String rest = url.replaceFirst("^s3a?://", "");
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  /** The key prefix of an s3:// URL, without leading or trailing slash ("" for the bucket's root). */
  public String prefix() {
    String rest = url.replaceFirst("^s3a?://", "");
    int slash = rest.indexOf('/');
    return slash < 0 ? "" : rest.substring(slash + 1).replaceAll("^/+|/+$", "");
  }

  /** The access key id shortened for messages (its first 4 characters), never the secret. */
  public String maskedKeyId() {
    return accessKeyId == null ? "(default credentials chain)"
        : accessKeyId.substring(0, Math.min(4, accessKeyId.length())) + "…";
  }

  @Override
  public String toString() {
    return url + (s3() ? " (endpoint " + (endpoint == null ? "AWS" : endpoint) + ", region " + region
        + (pathStyle ? ", path-style" : "") + ", key " + maskedKeyId() + ")" : "");
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v.trim();
  }
}
