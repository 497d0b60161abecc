package sparksgd.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A SPARK_HOME whose {@code jars/} is what a Spark installation with YARN support holds, built from the
 * project's Maven dependencies with no download: the provided-scope jars (Spark and Hadoop, listed by the
 * pom's {@code spark-provided-classpath} execution in {@code target/spark-provided-classpath.txt}) plus
 * {@code spark-yarn} (test scope), as symbolic links into the local Maven repository.
 */
final class SparkHomeFromMaven {
  private SparkHomeFromMaven() {}

  static Path assemble(Path projectRoot, Path home) throws IOException {
    Path listing = projectRoot.resolve("target/spark-provided-classpath.txt");
    if (!Files.exists(listing)) {
      throw new IllegalStateException(listing + " is missing: run through mvn verify (pre-integration-test)");
    }
    List<String> jars = new ArrayList<>(List.of(Files.readString(listing).trim().split(File.pathSeparator)));
    jars.add(codeSource(org.apache.spark.deploy.yarn.Client.class));
    Path dir = home.resolve("jars");
    Files.createDirectories(dir);
    for (String jar : jars) {
      Path target = Path.of(jar);
      Files.createSymbolicLink(dir.resolve(target.getFileName()), target);
    }
    return home;
  }

  private static String codeSource(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
