# Sourced by scripts/spark-sgd and scripts/cluster: the JVM flags Spark needs on Java 17 and the
# BLAS environment, the same for the driver, the cluster daemons and (inherited) the executors.

# Flags from Spark's own launcher (JavaModuleOptions), needed on Java 17.
spark_jvm_flags=(-XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true)

# Transparent huge pages for the Java heap where the kernel grants them on request ("madvise"; with
# "always" the heap has them already, with "never" there are none). The heap's first touch of fresh memory
# costs a page fault per 4 KB page, which on this kind of virtual machine costs about as much as the work
# itself: a sparse step that allocates megabytes, or a young generation growing into new memory, pays it
# again and again. Measured on the 2-core machine (README, Sparse logistic regression and Precision):
# sparse step 12.2 -> 9.9 ms, float32 linear pass no longer slow in one run of two. SPARK_SGD_THP=0 turns it off.
if [ "${SPARK_SGD_THP:-1}" != 0 ] && grep -q '\[madvise\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
  spark_jvm_flags+=(-XX:+UseTransparentHugePages)
fi

# OpenBLAS threads would fight Spark's task threads for the cores.
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
# Debian's OpenBLAS does not recognise some virtual CPUs and falls back to its slowest (SSE3)
# kernels; name the core type from the CPU flags unless the environment already chose one.
# (spark-sgd uses native BLAS only when this is set: see README, Engines.)
if [ -z "${OPENBLAS_CORETYPE:-}" ] && [ -r /proc/cpuinfo ]; then
  if grep -q -m1 -w avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX
  elif grep -q -m1 -w avx2 /proc/cpuinfo; then export OPENBLAS_CORETYPE=Haswell; fi
fi
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"

# The Java Vector API BLAS needs the incubator module, and with it the JVM prints "WARNING: Using
# incubator modules" on every start. Native OpenBLAS (used when installed and OPENBLAS_CORETYPE names
# its kernels, see README Engines) needs no module: add it only when the Java BLAS will do the math.
native_blas_usable() {
  [ -n "${OPENBLAS_CORETYPE:-}" ] || return 1
  local ldconfig_bin
  ldconfig_bin="$(command -v ldconfig || echo /sbin/ldconfig)"
  "$ldconfig_bin" -p 2>/dev/null | grep -q 'libblas\.so\.3 '
}
vector_module_added=false
if ! native_blas_usable; then
  spark_jvm_flags+=(--add-modules=jdk.incubator.vector)
  vector_module_added=true
fi
