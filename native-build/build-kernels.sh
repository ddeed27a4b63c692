#!/usr/bin/env bash
# Compiles kernels/*.cu into fatbins (SASS for sm_80 and sm_90, PTX compute_90 for newer GPUs,
# JIT-compiled by the driver) and writes them as classpath resources:
#   OUTDIR/<module>.fatbin, OUTDIR/kernels.list (module names), OUTDIR/BUILD-INFO
# The embedded PTX is validated with ptxas for newer architectures (what the driver's JIT will do).
# Double precision with --fmad=false: no multiply-add contraction, so kernels round exactly like the
# Java code (see native-build/README.md).
#
# Usage: native-build/build-kernels.sh OUTDIR
# Without nvcc it prints one line and exits 0 (the jar then has no kernels: CPU only).
# Unchanged inputs are not recompiled: a stamp in OUTDIR and a cache under
# ${AUTOSPEC_KERNEL_CACHE:-~/.cache/autospec/kernels}/<hash> (so `mvn clean` stays fast).
set -euo pipefail

out=${1:?usage: build-kernels.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../kernels" && pwd)

nvcc=${NVCC:-}
if [ -z "$nvcc" ]; then
  nvcc=$(command -v nvcc || true)
  cuda_home=${CUDA_HOME:-/usr/local/cuda}
  [ -z "$nvcc" ] && [ -x "$cuda_home/bin/nvcc" ] && nvcc=$cuda_home/bin/nvcc
fi
if [ -z "$nvcc" ]; then
  echo "[autospec] nvcc not found: CUDA kernels skipped; this jar runs on the CPU backend only (set NVCC or PATH to build them)"
  exit 0
fi
ptxas=$(dirname "$nvcc")/ptxas
[ -x "$ptxas" ] || ptxas=$(command -v ptxas || true)

# SASS for these, plus PTX of the last one for GPUs newer than all of them.
sass_archs=(80 90)
ptx_arch=90
# Architectures whose JIT of the embedded PTX is checked with ptxas (those this ptxas knows).
jit_check=(100 120)
flags=(-std=c++17 -O3 --fmad=false -Xptxas -warn-spills)

modules=()
for f in "$src"/*.cu; do modules+=("$(basename "$f" .cu)"); done

hash=$( (cd "$src" && cat $(ls *.cu *.cuh | sort); cat "$here/build-kernels.sh"; "$nvcc" --version) | sha256sum | cut -c1-32)
if [ -f "$out/kernels.sha256" ] && [ "$(cat "$out/kernels.sha256")" = "$hash" ]; then
  exit 0
fi
cache=${AUTOSPEC_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/autospec/kernels}/$hash
mkdir -p "$out"
if [ -f "$cache/kernels.sha256" ]; then
  cp "$cache"/* "$out"/
  echo "[autospec] CUDA kernels restored from cache $cache"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gencode=()
for a in "${sass_archs[@]}"; do
  if [ "$a" = "$ptx_arch" ]; then gencode+=(-gencode "arch=compute_$a,code=[sm_$a,compute_$a]")
  else gencode+=(-gencode "arch=compute_$a,code=sm_$a"); fi
done

build_module() {
  local m=$1
  "$nvcc" "${flags[@]}" -fatbin "${gencode[@]}" -o "$tmp/$m.fatbin" "$src/$m.cu"
  "$nvcc" "${flags[@]}" -ptx -arch=compute_$ptx_arch -o "$tmp/$m.ptx" "$src/$m.cu"
  if [ -n "$ptxas" ]; then
    for a in "${jit_check[@]}"; do
      "$ptxas" -arch=sm_$a -o /dev/null "$tmp/$m.ptx"
    done
  fi
}

echo "[autospec] compiling CUDA kernels (${modules[*]}) with $("$nvcc" --version | tail -1)"
pids=()
for m in "${modules[@]}"; do
  build_module "$m" > "$tmp/$m.log" 2>&1 & pids+=($!)
done
failed=0
for i in "${!modules[@]}"; do
  if ! wait "${pids[$i]}"; then failed=1; echo "[autospec] kernel module ${modules[$i]} failed:"; cat "$tmp/${modules[$i]}.log"; fi
done
[ "$failed" = 0 ] || exit 1
for m in "${modules[@]}"; do
  if grep -qi 'spill\|warning' "$tmp/$m.log"; then cat "$tmp/$m.log"; fi
done

mkdir -p "$tmp/res"
for m in "${modules[@]}"; do cp "$tmp/$m.fatbin" "$tmp/res/"; done
printf '%s\n' "${modules[@]}" > "$tmp/res/kernels.list"
{
  echo "nvcc: $("$nvcc" --version | tail -1)"
  echo "flags: ${flags[*]} ${gencode[*]}"
  echo "ptx jit checked with ptxas for: ${jit_check[*]/#/sm_}"
} > "$tmp/res/BUILD-INFO"
echo "$hash" > "$tmp/res/kernels.sha256"
cp "$tmp/res"/* "$out"/
if mkdir -p "$cache" 2>/dev/null; then cp "$tmp/res"/* "$cache"/ 2>/dev/null || true; fi
echo "[autospec] CUDA kernels written to $out"
