# Sourced by the bundle's scripts: picks the bundled Java runtime and decides whether the bundled
# libcublas.so.12 forwarder is needed (JCublas 12.6.0 links against libcublas.so.12; CUDA 13 hosts
# only have libcublas.so.13). Override with AUTOSPEC_CUBLAS_SHIM=on|off, JAVA=/path/to/java.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JAVA=${JAVA:-$here/runtime/bin/java}

for d in /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib; do
  if [ -d "$d" ]; then LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$d"; fi
done
export LD_LIBRARY_PATH

autospec_has_lib() {
  if command -v ldconfig >/dev/null 2>&1 && ldconfig -p 2>/dev/null | grep -q "[[:space:]]$1 "; then return 0; fi
  local IFS=:
  for d in ${LD_LIBRARY_PATH:-}; do [ -e "$d/$1" ] && return 0; done
  return 1
}

case "${AUTOSPEC_CUBLAS_SHIM:-auto}" in
  on|1) use_shim=1 ;;
  off|0) use_shim=0 ;;
  *)
    if autospec_has_lib libcublas.so.12; then use_shim=0
    elif autospec_has_lib libcublas.so.13; then use_shim=1
    else
      use_shim=0
      echo "[autospec] neither libcublas.so.12 nor libcublas.so.13 found (add its directory to LD_LIBRARY_PATH): Gaussian-mixture drifts will run on the CPU"
    fi ;;
esac
if [ "$use_shim" = 1 ]; then
  export LD_LIBRARY_PATH="$here/lib/cublas-shim${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  echo "[autospec] using the bundled libcublas.so.12 -> libcublas.so.13 forwarder"
fi
# JCuda loads native libraries through JNI (restricted methods since Java 24).
JAVA_OPTS=(--enable-native-access=ALL-UNNAMED -Xmx8g ${AUTOSPEC_JAVA_OPTS:-})
