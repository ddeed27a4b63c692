#!/usr/bin/env bash
# Builds one self-contained archive for running autospec's GPU tests and benchmark on a GPU host
# that may have no Java and no Maven:
#   runtime/                 jlinked Temurin 25 (java.base, java.logging + what jdeps says the jars need)
#   lib/autospec.jar         the shaded jar (core + the CUDA provider with its kernels + CLI),
#                            lib/autospec-tests.jar (test classes of core/ and cuda/)
#   lib/junit-platform-console-standalone.jar   (from Maven Central)
#   src/                     kernel headers + emulator source, src/kernels and src/cuda/src/test/native
#                            (host-emulator tests, if c++ exists); src/onnx/models/ the shipped
#                            networks (benchmarks/gpu-nn-measure.sh) and the test networks the
#                            whole-plan GPU tests read
#   lib/autospec-nn-measure.jar  io.autospec.onnx.NetMeasure (learned networks: executor vs ONNX Runtime;
#                            needs the full bundle, whose jar has ONNX Runtime)
#   python/                  benchmarks/torch_text_peer.py and onnx/python/train_text.py (the PyTorch peer)
#   run-gpu-tests.sh, run-gpu-bench.sh, env.sh, README.txt, BUILD-INFO
#   tmp/                     java.io.tmpdir (JCuda unpacks its natives here: /tmp may be noexec)
# x86-64 Linux only (the runtime and the JCuda natives).
# then verifies it (native-build/verify-gpu-bundle.sh) unless NO_VERIFY=1.
#
# Usage: native-build/make-gpu-bundle.sh [ARCHIVE]   (default target/autospec-gpu-bundle.tar.gz)
# Env: JDK25 (Temurin 25 JDK, default /usr/lib/jvm/temurin-25-jdk-amd64), SKIP_MAVEN=1 (reuse target/),
#      SLIM=1: the library and CUDA provider jars and their runtime dependencies instead of the shaded CLI jar (no CLI, no
#      ONNX Runtime, no plotting: the runtime needs no java.desktop), for hosts where the bundle's size
#      matters (about a third of the full one); run-gpu-tests.sh and run-gpu-bench.sh work the same.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
archive=${1:-$root/target/autospec-gpu-bundle.tar.gz}
jdk=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
junit_platform=1.11.3
name=autospec-gpu-bundle
stage=$root/target/gpu-bundle/$name

[ -x "$jdk/bin/jlink" ] || { echo "no Temurin 25 JDK at $jdk (set JDK25)" >&2; exit 1; }
# The jlinked runtime is the build machine's architecture and the bundle's scripts accept x86-64 only.
[ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || { echo "the GPU bundle is x86-64 Linux only; this is $(uname -s) $(uname -m)" >&2; exit 1; }
cd "$root"
if [ "${SKIP_MAVEN:-0}" != 1 ]; then
  echo "[bundle] mvn package (tests compiled, not run)"
  mvn -q -B package -DskipTests
fi
unzip -l target/autospec.jar | grep 'io/autospec/cuda/kernels/kernels.list' >/dev/null \
  || { echo "target/autospec.jar has no CUDA kernels (was nvcc on the PATH?)" >&2; exit 1; }

rm -rf "$root/target/gpu-bundle"
mkdir -p "$stage/lib" "$stage/src/cuda/src/test/native" "$stage/tmp"
if [ "${SLIM:-0}" = 1 ]; then
  # The library, its CUDA provider and what they need at run time (JCuda and its linux-x86_64
  # natives, commons-math3, slf4j) plus slf4j-simple so log lines show; named autospec.jar so the
  # scripts stay the same.
  jcuda=$(sed -n 's:.*<jcuda.version>\(.*\)</jcuda.version>.*:\1:p' pom.xml)
  cp core/target/autospec-*-SNAPSHOT.jar "$stage/lib/autospec-core.jar"
  cp cuda/target/autospec-cuda-*-SNAPSHOT.jar "$stage/lib/autospec-cuda.jar"
  # The provider's network executor runs nn plans: the nn module and its protobuf reader go in too.
  cp nn/target/autospec-nn-*-SNAPSHOT.jar "$stage/lib/autospec-nn.jar"
  mvn -q -B dependency:copy-dependencies -pl core,nn -DincludeScope=runtime -DoutputDirectory="$stage/lib/deps"
  for a in org.slf4j:slf4j-simple:2.0.16 org.jcuda:jcuda:$jcuda org.jcuda:jcuda-natives:$jcuda:jar:linux-x86_64; do
    mvn -q -B dependency:copy -Dartifact=$a -DoutputDirectory="$stage/lib/deps"
  done
  (cd "$stage/lib" && mkdir -p x && cd x && for j in ../autospec-core.jar ../autospec-nn.jar ../autospec-cuda.jar ../deps/*.jar; do unzip -qo "$j"; done \
     && rm -rf META-INF/*.SF META-INF/*.RSA META-INF/*.DSA META-INF/MANIFEST.MF \
     && "$jdk/bin/jar" --create --file ../autospec.jar .) \
    && rm -rf "$stage/lib/x" "$stage/lib/deps" "$stage/lib/autospec-core.jar" "$stage/lib/autospec-nn.jar" "$stage/lib/autospec-cuda.jar"
else
  cp target/autospec.jar "$stage/lib/"
  # The bundle runs on x86-64 Linux only (env.sh): ONNX Runtime's Windows library (about 5 MiB packed)
  # and jline's other-platform natives would only weigh on the 64 MiB the archive may take.
  zip -q -d "$stage/lib/autospec.jar" 'ai/onnxruntime/native/win-x64/*' 'org/jline/nativ/Windows/*' 'org/jline/nativ/Mac/*' \
    'org/jline/nativ/FreeBSD/*' > /dev/null || { echo "[bundle] cannot strip other platforms' natives (zip missing?)" >&2; exit 1; }
fi
# The test jar: the CUDA module's tests (GPU, emulator, GpuMeasure, CudaBench) and the core's tests
# they use (golden runs, goodness of fit) or that --all runs.
# (cuda/ compiles the core's io.autospec.testing helpers too: one copy of each class goes in.)
rm -rf "$root/target/gpu-bundle-tests" && mkdir -p "$root/target/gpu-bundle-tests"
cp -r core/target/test-classes/. cuda/target/test-classes/. "$root/target/gpu-bundle-tests/"
"$jdk/bin/jar" --create --file "$stage/lib/autospec-tests.jar" -C "$root/target/gpu-bundle-tests" .
# The learned-network measurement: its class alone (the onnx module's other tests need fixtures the bundle lacks).
(cd onnx/target/test-classes && "$jdk/bin/jar" --create --file "$stage/lib/autospec-nn-measure.jar" io/autospec/onnx/NetMeasure*.class io/autospec/onnx/HookedEvaluator*.class)
mkdir -p "$stage/src/onnx/models" "$stage/python"
cp onnx/models/text.onnx onnx/models/digits-denoiser.onnx onnx/models/digits.onnx "$stage/src/onnx/models/"
# The networks the whole-plan tests (cuda's NetExecutorContract) read beside the shipped ones.
mkdir -p "$stage/src/nn/src/test/resources/io/autospec/nn" "$stage/src/onnx/src/test/resources/io/autospec/onnx/denoiser"
cp nn/src/test/resources/io/autospec/nn/*.onnx "$stage/src/nn/src/test/resources/io/autospec/nn/"
cp onnx/src/test/resources/io/autospec/onnx/*.onnx "$stage/src/onnx/src/test/resources/io/autospec/onnx/"
cp onnx/src/test/resources/io/autospec/onnx/denoiser/*.onnx "$stage/src/onnx/src/test/resources/io/autospec/onnx/denoiser/"
cp benchmarks/torch_text_peer.py onnx/python/train_text.py "$stage/python/"

echo "[bundle] JUnit console launcher $junit_platform from Maven Central"
mvn -q -B dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:$junit_platform \
  -DoutputDirectory="$stage/lib" -Dmdep.stripVersion=true

mods=$("$jdk/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 25 \
  "$stage/lib/autospec.jar" "$stage/lib/autospec-tests.jar" "$stage/lib/junit-platform-console-standalone.jar")
# jdk.zipfs: the JUnit launcher scans the test jar through the "jar" file-system provider, a service
# that jdeps cannot see in the bytecode.
mods=$(echo "java.base,java.logging,jdk.zipfs,$mods" | tr , "\n" | sort -u | paste -sd, -)
# The slim bundle runs no picture code: no java.desktop (AWT, fonts: about a third of the runtime).
[ "${SLIM:-0}" = 1 ] && mods=$(echo "$mods" | tr , "\n" | grep -vx -e java.desktop -e java.sql | paste -sd, -)
echo "[bundle] jlink runtime with modules: $mods"
# No jlink compression: the archive's gzip compresses the uncompressed image better.
"$jdk/bin/jlink" --add-modules "$mods" --strip-debug --no-header-files --no-man-pages --output "$stage/runtime"

cp -r kernels "$stage/src/"
cp cuda/src/test/native/device_emulator.cpp "$stage/src/cuda/src/test/native/"
cp "$here/bundle/env.sh" "$here/bundle/run-gpu-tests.sh" "$here/bundle/run-gpu-bench.sh" "$stage/"
cp "$here/README.md" "$stage/README.txt"
{
  echo "autospec GPU bundle"
  echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -srm)"
  echo "git: $(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)"
  echo "runtime: $("$stage/runtime/bin/java" -version 2>&1 | head -1), modules $mods"
  unzip -p target/autospec.jar io/autospec/cuda/kernels/BUILD-INFO
} > "$stage/BUILD-INFO"

mkdir -p "$(dirname "$archive")"
tar -C "$root/target/gpu-bundle" -czf "$archive" "$name"
size=$(stat -c %s "$archive")
echo "[bundle] $archive: $((size / 1024 / 1024)) MiB"
[ "$size" -lt $((64 * 1024 * 1024)) ] || { echo "bundle exceeds 64 MiB" >&2; exit 1; }
if [ "${NO_VERIFY:-0}" != 1 ]; then "$here/verify-gpu-bundle.sh" "$archive"; fi
