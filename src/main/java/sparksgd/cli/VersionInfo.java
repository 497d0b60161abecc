package sparksgd.cli;

import picocli.CommandLine.IVersionProvider;
import sparksgd.model.Blas;

/** {@code --version}: our version, Spark's, Java's, and which BLAS does the math. */
final class VersionInfo implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String ours = Main.class.getPackage().getImplementationVersion();
    return new String[] {
        "spark-sgd " + (ours == null ? "(development build)" : ours),
        "Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ", Java " + System.getProperty("java.version"),
        "BLAS: " + Blas.describe()
    };
  }
}
