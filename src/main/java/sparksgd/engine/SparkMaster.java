package sparksgd.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.regex.Pattern;
import sparksgd.job.JobConfigException;

/**
 * Checks a Spark master URL before Spark is asked to start on it: Spark answers an unparseable URL with
 * an exception and a logged stack trace, and an unreachable standalone master only after its
 * registration gives up (3 tries of 20 s), with a stopped context and pages of traces.
 *
 * <p>The URL must have one of Spark's forms; for {@code spark://} every listed master's port must accept
 * a TCP connection within {@link #CONNECT_TIMEOUT_MS}. A host that accepts connections but is no Spark
 * master is reported when Spark's registration gives up (about 60 s; see {@link SparkSessions}).
 */
public final class SparkMaster {
  static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final Pattern FORMS = Pattern.compile(
      "local(\\[(\\*|[1-9]\\d*)(\\s*,\\s*[1-9]\\d*)?\\])?"
          + "|local-cluster\\[\\s*[1-9]\\d*\\s*,\\s*[1-9]\\d*\\s*,\\s*[1-9]\\d*\\s*\\]"
          + "|spark://[^\\s/]+(:\\d+)?(,[^\\s/]+(:\\d+)?)*/?"
          + "|yarn|k8s://\\S+");
  private static final String ALLOWED = "local, local[N], local[*], local[N,F], spark://host:port, yarn, "
      + "k8s://https://host:port";

  private SparkMaster() {}

  /**
   * Throws {@link JobConfigException} naming {@code source} (the option or key the master came from)
   * when the URL is not a Spark master, or no listed standalone master can be reached.
   */
  public static void check(String master, String source) {
    if (master == null || !FORMS.matcher(master.trim()).matches()) {
      throw new JobConfigException(null, source + " '" + sparksgd.data.CsvLineParser.shorten(String.valueOf(master))
          + "' is not a Spark master URL (allowed: " + ALLOWED + ")");
    }
    String m = master.trim();
    if (!m.startsWith("spark://")) {
      return;
    }
    String why = null;
    for (String hostPort : m.substring("spark://".length()).replaceAll("/$", "").split(",")) {
      int colon = hostPort.lastIndexOf(':');
      String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
      int port = colon < 0 ? 7077 : Integer.parseInt(hostPort.substring(colon + 1));
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        return; // one reachable master is enough (standby masters are listed too)
      } catch (IllegalArgumentException | IOException e) {
        why = e instanceof java.net.UnknownHostException || (e instanceof IllegalArgumentException)
            ? "unknown host '" + host + "'"
            : e instanceof java.net.SocketTimeoutException ? "no answer within " + CONNECT_TIMEOUT_MS / 1000 + " s"
            : String.valueOf(e.getMessage());
      }
    }
    throw new JobConfigException(null, source + ": cannot reach the Spark master " + m + ": " + why
        + " (is the cluster running? scripts/cluster status)");
  }

  /** Thrown when Spark started but its standalone master never accepted the application. */
  public static JobConfigException notRegistered(String master, String source) {
    return new JobConfigException(null, source + ": the Spark master " + master + " did not accept the application "
        + "(Spark gives up after 3 registration attempts of 20 s); is it a Spark master, and is it alive?");
  }
}
