# Sourced by the bundle's scripts: picks the bundled Java runtime. Override with JAVA=/path/to/java.
# autospec needs only the NVIDIA driver (libcuda.so.1): no CUDA toolkit library.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JAVA=${JAVA:-$here/runtime/bin/java}

# JCuda loads native libraries through JNI (restricted methods since Java 24).
JAVA_OPTS=(--enable-native-access=ALL-UNNAMED -Xmx8g ${AUTOSPEC_JAVA_OPTS:-})
