package io.seedtest.analytics.report;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.config.ReportStorage;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reports in S3 through the AWS SDK v2 S3 client (the SDK bundle hadoop-aws already ships), not
 * s3a: a report is one small object with its own content type and checksum metadata, which s3a's
 * file-system view can set only awkwardly, and the SDK's HEAD tells unchanged objects apart
 * without reading them. Each object carries its SHA-256 as user metadata ({@code x-amz-meta-sha256});
 * a PUT is skipped when the object there already has the same one.
 */
final class S3ReportStore implements ReportStore {
  private static final long serialVersionUID = 1L;
  static final String SHA256_METADATA = "sha256";

  private final ReportStorage storage;

  S3ReportStore(ReportStorage storage) {
    this.storage = storage;
  }

  S3Client client() {
    var b = S3Client.builder()
        .region(Region.of(storage.region()))
        .forcePathStyle(storage.pathStyle())
        // S3-compatible servers differ in which flexible checksums they accept; ours is in metadata
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(c -> c.apiCallAttemptTimeout(Duration.ofSeconds(20))
            .apiCallTimeout(Duration.ofSeconds(60)))
        .credentialsProvider(storage.accessKeyId() == null ? DefaultCredentialsProvider.builder().build()
            : StaticCredentialsProvider.create(
                AwsBasicCredentials.create(storage.accessKeyId(), storage.secretAccessKey())));
    if (storage.endpoint() != null) {
      b.endpointOverride(URI.create(storage.endpoint()));
    }
    return b.build();
  }

  @Override
  public void check() {
    try (S3Client s3 = client()) {
      s3.headBucket(r -> r.bucket(storage.bucket()));
    } catch (S3Exception e) {
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      String why = "HTTP " + e.statusCode() + (code == null ? "" : " " + code) + " for bucket '" + storage.bucket()
          + "' with access key " + storage.maskedKeyId();
      if (e.statusCode() == 404) {
        throw Errors.reportStorageDenied(describe(), why + " (no such bucket)");
      }
      throw Errors.reportStorageDenied(describe(), why);
    } catch (SdkClientException e) {
      throw Errors.reportStorageUnreachable(describe(), firstLine(e.getMessage()));
    }
  }

  @Override
  public Session open() {
    S3Client s3 = client();
    String bucket = storage.bucket();
    String prefix = prefix();
    return new Session() {
      @Override
      public Stored put(String key, byte[] bytes, String sha256, boolean mayExist) {
        String full = prefix + key;
        String url = "s3://" + bucket + "/" + full;
        if (mayExist && sha256.equals(existingChecksum(s3, bucket, full))) {
          return new Stored(url, false);
        }
        s3.putObject(r -> r.bucket(bucket).key(full).contentType(CONTENT_TYPE).contentLength((long) bytes.length)
            .metadata(Map.of(SHA256_METADATA, sha256)), RequestBody.fromBytes(bytes));
        return new Stored(url, true);
      }

      @Override
      public void close() {
        s3.close();
      }
    };
  }

  @Override
  public Map<Long, Long> stored(LocalDate weekEnding, ReportLocale locale) {
    String week = prefix() + ReportStore.weekPrefix(weekEnding);
    Map<Long, Long> out = new HashMap<>();
    try (S3Client s3 = client()) {
      for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(storage.bucket()).prefix(week)).contents()) {
        Long user = ReportStore.userOf(o.key().substring(week.length()), locale);
        if (user != null) {
          out.put(user, o.size());
        }
      }
    }
    return out;
  }

  private String prefix() {
    return storage.prefix().isEmpty() ? "" : storage.prefix() + "/";
  }

  /** The sha256 metadata of the object at {@code key}, or null when there is none (or no object). */
  private static String existingChecksum(S3Client s3, String bucket, String key) {
    try {
      HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key(key));
      return head.metadata().get(SHA256_METADATA);
    } catch (NoSuchKeyException e) {
      return null;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  @Override
  public String describe() {
    return storage.toString();
  }

  static String firstLine(String s) {
    if (s == null) {
      return "no detail";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
