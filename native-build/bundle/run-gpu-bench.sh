#!/usr/bin/env bash
# CPU vs CUDA backend on the zoo (same seeds, samples compared), as a Markdown table with machine,
# date and command. Arguments: [--n 1024] [--samples 64] [--threads 0] [--steps 256].
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
exec "$JAVA" "${JAVA_OPTS[@]}" -cp "$here/lib/autospec.jar:$here/lib/autospec-tests.jar" io.autospec.cuda.CudaBench "$@"
