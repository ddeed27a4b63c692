#!/usr/bin/env bash
# Compiles kernels/*.cu into fatbins (SASS for sm_80 and sm_90, PTX compute_90 for newer GPUs,
# JIT-compiled by the driver) and, beside them, a portable PTX (ISA 8.0 = CUDA 12.0, target sm_75)
# that the backend loads when a driver refuses the fatbin (older than CUDA 13, or a GPU without SASS
# in it). Written as classpath resources:
#   OUTDIR/<module>.fatbin, OUTDIR/<module>.ptx, OUTDIR/kernels.list (module names), OUTDIR/BUILD-INFO
# Both PTX texts are assembled with ptxas for the GPUs they serve (what the driver's JIT will do), and
# the portable one is checked to carry an explicit rounding mode on every f64 add/sub/mul (so no JIT
# can contract them into an fma: both paths round alike).
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
# The portable PTX: the oldest target nvcc 13 emits (sm_75) and the ISA of CUDA 12.0 (driver >= 525),
# lowered from nvcc's own .version line; ptxas then checks that the kernels use nothing newer, for
# every GPU generation it can serve (ptxas 13 knows no sm_70, so Volta is not claimed).
portable_isa=8.0
portable_arch=75
portable_check=(75 80 86 89 90 100 120)
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
  "$nvcc" "${flags[@]}" -ptx -arch=compute_$portable_arch -o "$tmp/$m.nvcc.ptx" "$src/$m.cu"
  sed -E "s/^\.version [0-9]+\.[0-9]+\$/.version $portable_isa/" "$tmp/$m.nvcc.ptx" > "$tmp/$m.portable.ptx"
  grep -qx "\.version $portable_isa" "$tmp/$m.portable.ptx" || { echo "no .version line in $m.ptx"; return 1; }
  if grep -nE '^[[:space:]]*(add|sub|mul)\.f64' "$tmp/$m.portable.ptx"; then
    echo "$m.ptx: f64 arithmetic without an explicit rounding mode (a JIT could contract it)"; return 1
  fi
  if [ -n "$ptxas" ]; then
    for a in "${portable_check[@]}"; do
      "$ptxas" -arch=sm_$a -o /dev/null "$tmp/$m.portable.ptx" || { echo "ptxas sm_$a rejects $m.ptx (ISA $portable_isa)"; return 1; }
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
for m in "${modules[@]}"; do cp "$tmp/$m.fatbin" "$tmp/res/"; cp "$tmp/$m.portable.ptx" "$tmp/res/$m.ptx"; done
printf '%s\n' "${modules[@]}" > "$tmp/res/kernels.list"
{
  echo "nvcc: $("$nvcc" --version | tail -1)"
  echo "flags: ${flags[*]} ${gencode[*]}"
  echo "ptx jit checked with ptxas for: ${jit_check[*]/#/sm_}"
  echo "portable ptx: ISA $portable_isa, target sm_$portable_arch, checked with ptxas for: ${portable_check[*]/#/sm_}${ptxas:+ ($("$ptxas" --version | tail -1))}"
} > "$tmp/res/BUILD-INFO"
echo "$hash" > "$tmp/res/kernels.sha256"
cp "$tmp/res"/* "$out"/
if mkdir -p "$cache" 2>/dev/null; then cp "$tmp/res"/* "$cache"/ 2>/dev/null || true; fi
echo "[autospec] CUDA kernels written to $out"
