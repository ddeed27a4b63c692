# Sourced by the bundle's scripts: checks the machine, picks the bundled Java runtime and its options.
# Override with JAVA=/path/to/java; extra JVM options in AUTOSPEC_JAVA_OPTS (they come last, so e.g.
# -Djava.io.tmpdir=... there wins). autospec needs only the NVIDIA driver (libcuda.so.1): no CUDA
# toolkit library.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# The jlinked runtime and the JCuda natives in the jar are linux-x86_64 builds.
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "[autospec] this bundle is for x86-64 Linux only; this machine is $(uname -s) $(uname -m)" >&2
  exit 1
fi
JAVA=${JAVA:-$here/runtime/bin/java}

# JCuda unpacks its native libraries into java.io.tmpdir and loads them from there: a folder inside
# the bundle, since /tmp is often mounted noexec.
mkdir -p "$here/tmp"
# JCuda loads native libraries through JNI (restricted methods since Java 24).
JAVA_OPTS=(--enable-native-access=ALL-UNNAMED -Xmx8g -Djava.io.tmpdir="$here/tmp" ${AUTOSPEC_JAVA_OPTS:-})
