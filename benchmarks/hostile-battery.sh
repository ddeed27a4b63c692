#!/usr/bin/env bash
# The hostile battery: autospec used as a careless or hostile user would use it, against
# the built jars, every invocation classified CLEAN or MISHANDLED. An invocation is clean when:
#   - its exit status is the one expected (0 done, 1 the run failed, 2 bad arguments, nothing run);
#   - it finished within the time limit (no hang: a shared FIFO, a huge model built before refusing);
#   - stderr holds no Java stack trace or exception name, and a usage error is one line + the hint;
#   - no input file changed (every model file is hashed before and after), no existing output file
#     changed when the run failed, and no temporary *.partial file is left behind;
#   - the case's own check holds (e.g. the samples are in the file, the file keeps its mode).
# Usage: benchmarks/hostile-battery.sh [JAR]   (build first: mvn -q -B package -DskipTests)
#   SPARK=0 skips the Spark cases (they need spark/target/autospec-spark.jar and spark/target/lib).
# Prints one line per invocation and a summary: tried, clean, mishandled (the exit status is the
# number mishandled).
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
JAR="${1:-$here/target/autospec.jar}"
[[ -f "$JAR" ]] || { echo "hostile-battery: no $JAR (mvn -q -B package -DskipTests)" >&2; exit 2; }
SPARK="${SPARK:-1}"
LIMIT="${LIMIT:-60}"
SPARK_LIMIT="${SPARK_LIMIT:-180}" # a Spark session starts in 20-60 s on a loaded 2-core machine
W="$(mktemp -d /tmp/autospec-hostile.XXXXXX)"
trap 'chmod -R u+w "$W" 2>/dev/null; rm -rf "$W"' EXIT
cd "$W" || exit 2
mkdir in keep ro && chmod 555 ro

# ---- inputs (every model family that reads a file) ----
printf '0,0,1\n0,1,2\n1,1,3\n' > in/table.csv
printf '0,0\n1,1\n-1,2\n' > in/atoms.csv
printf '1,0.5,0,0\n2,0.25,1,1\n' > in/gmm.csv
printf '2,1,0\n1,2,1\n0,1,2\n' > in/L.csv
printf '0,0\n1,0\n0,1\n1,1\n0.5,0.5\n' > in/points.csv
printf '0,1\n1,2\n2,3\n3,0\n0,2\n' > in/edges.csv
ONNX="$here/onnx/models/digits.onnx"
[[ -f "$ONNX" ]] && cp "$ONNX" in/digits.onnx
head -c 256 /dev/urandom > in/binary.csv
printf '1.7e308,1e308\n1e308,1.7e308\n' > in/huge-L.csv
ln in/table.csv in/table-hard.csv
ln -s table.csv in/table-soft.csv
mkfifo fifo 2>/dev/null

tried=0; clean=0; bad=0
declare -a FAILS=()

hash_inputs() { find in keep -type f -print0 2>/dev/null | sort -z | xargs -0 md5sum 2>/dev/null; }

# t EXPECT LABEL [CHECK] -- ARGS...  (runs java -jar JAR ARGS; CHECK is a bash expression run after it)
t() {
  local expect=$1 label=$2; shift 2
  local check=""
  if [[ $1 != "--" ]]; then check=$1; shift; fi
  shift # --
  run_case "$expect" "$label" "$check" java -jar "$JAR" "$@"
}

# s EXPECT LABEL [CHECK] -- ARGS...  (the Spark command, as spark/run-local.sh runs it)
s() {
  local expect=$1 label=$2; shift 2
  local check=""
  if [[ $1 != "--" ]]; then check=$1; shift; fi
  shift
  LIMIT=$SPARK_LIMIT run_case "$expect" "$label" "$check" "$here/spark/run-local.sh" "$@"
}

# sh EXPECT LABEL [CHECK] -- SHELL-COMMAND  ($A is the autospec command; for redirections)
sh_() {
  local expect=$1 label=$2; shift 2
  local check=""
  if [[ $1 != "--" ]]; then check=$1; shift; fi
  shift
  run_case "$expect" "$label" "$check" bash -c "A='java -jar $JAR'; $*"
}

run_case() {
  local expect=$1 label=$2 check=$3; shift 3
  local before after rc why=""
  before=$(hash_inputs)
  timeout "$LIMIT" "$@" > out.txt 2> err.txt < /dev/null
  rc=$?
  # The JVM's own start-up line for the --add-modules flag Spark's launcher passes: not autospec's output.
  sed -i '/^WARNING: Using incubator modules: jdk.incubator.vector$/d' err.txt
  after=$(hash_inputs)
  tried=$((tried + 1))
  if [[ $rc == 124 || $rc == 137 ]]; then why="hung (killed after ${LIMIT}s)"
  elif [[ ! " $expect " =~ " $rc " && $expect != "$rc" ]]; then why="exit $rc, expected $expect"
  elif grep -qE 'Exception|^[[:space:]]+at |Caused by' err.txt; then why="a Java stack trace or exception name on stderr"
  elif [[ "$before" != "$after" ]]; then why="an input or existing file changed"
  elif [[ -n $(find . -name '*.partial' 2>/dev/null) ]]; then why="a *.partial file was left"
  elif [[ $rc == 2 ]] && head -1 err.txt | grep -q '^Usage: '; then : # no command: the usage itself, as asked
  elif [[ $rc == 2 ]] && ! head -1 err.txt | grep -qE '^autospec(-spark)?: ' ; then why="a usage error without its one line"
  elif [[ $rc == 2 ]] && [[ $(grep -cv "^Try '" err.txt) -gt 1 ]]; then why="a usage error of more than one line"
  elif [[ -n $check ]] && ! eval "$check"; then why="check failed: $check"
  fi
  if [[ -z $why ]]; then
    clean=$((clean + 1)); printf 'CLEAN       %-58s exit %s\n' "$label" "$rc"
  else
    bad=$((bad + 1)); printf 'MISHANDLED  %-58s %s\n' "$label" "$why"
    FAILS+=("$label: $why: $(head -c 300 err.txt | tr '\n' ' ')")
  fi
  rm -f out.txt err.txt
  find . -maxdepth 1 -name 'o-*' -exec rm -rf {} + 2>/dev/null
}

B=(--backend cpu --no-progress)
D=(--steps 16)

# ---- 1. every model family, samples to a new file, the report to stdout: exit 0 ----
AR_MODELS=("product:q=3" "markov:q=2,stay=0.9" "potts:q=5,stay=0.6" "curie-weiss:beta=0.8" "parity:constraints=4" "ltr-markov:q=2,stay=0.9")
DET_MODELS=("table:in/table.csv" "dpp:in/L.csv" "dpp:random,n=16,rank=3" "dpp:points=in/points.csv" "dpp:random-points,n=12"
            "ust:in/edges.csv" "ust:grid=3x3" "aztec:order=2")
DIF_MODELS=("gmm:in/gmm.csv" "gmm:k=3,d=2" "atoms:in/atoms.csv" "atoms:k=8,d=2" "box:d=3" "gaussian:d=2")
[[ -f in/digits.onnx ]] && DET_MODELS+=("onnx:in/digits.onnx")
for m in "${AR_MODELS[@]}"; do t 0 "sample $m --out new" '[[ $(wc -l < o-s.csv) == 2 ]]' -- sample --model "$m" --n 8 --samples 2 "${B[@]}" --out o-s.csv; done
for m in "${DET_MODELS[@]}"; do t 0 "sample $m --out new" '[[ $(wc -l < o-s.csv) == 2 ]]' -- sample --model "$m" --samples 2 "${B[@]}" --out o-s.csv; done
for m in "${DIF_MODELS[@]}"; do t 0 "sample $m --out new" '[[ $(wc -l < o-s.csv) == 2 ]]' -- sample --model "$m" "${D[@]}" --samples 2 "${B[@]}" --out o-s.csv; done
# ... samples on stdout, the JSON report to a file
for m in "${AR_MODELS[@]}"; do t 0 "sample $m --out - --report new" '[[ $(wc -l < out.txt) == 2 && -s o-r.json ]]' -- sample --model "$m" --n 8 --samples 2 "${B[@]}" --out - --report o-r.json; done
for m in "${DET_MODELS[@]}"; do t 0 "sample $m --out - --report new" '[[ $(wc -l < out.txt) == 2 && -s o-r.json ]]' -- sample --model "$m" --samples 2 "${B[@]}" --out - --report o-r.json; done
for m in "${DIF_MODELS[@]}"; do t 0 "sample $m --out - --report new" '[[ $(wc -l < out.txt) == 2 && -s o-r.json ]]' -- sample --model "$m" "${D[@]}" --samples 2 "${B[@]}" --out - --report o-r.json; done

# ---- 2. every output onto every model input, in every spelling: exit 2, the input untouched ----
declare -A INPUT=([table]=in/table.csv [atoms]=in/atoms.csv [gmm]=in/gmm.csv [dpp]=in/L.csv [dpp:points=]=in/points.csv [ust]=in/edges.csv)
[[ -f in/digits.onnx ]] && INPUT[onnx]=in/digits.onnx
for k in "${!INPUT[@]}"; do
  f=${INPUT[$k]}
  if [[ $k == *= ]]; then spec="$k$f"; else spec="$k:$f"; fi
  extra=(); [[ $k == atoms || $k == gmm ]] && extra=("${D[@]}")
  t 2 "--out onto the input of $spec" -- sample --model "$spec" "${extra[@]}" "${B[@]}" --out "$f"
  t 2 "--report onto ./ spelling of $spec" -- sample --model "$spec" "${extra[@]}" "${B[@]}" --report "./$f"
  t 2 "--picture onto the input of $spec" -- sample --model "$spec" "${extra[@]}" "${B[@]}" --picture "$f"
  t 2 "--out onto in/../ spelling of $spec" -- sample --model "$spec" "${extra[@]}" "${B[@]}" --out "in/../$f"
  t 2 "--report onto absolute path of $spec" -- sample --model "$spec" "${extra[@]}" "${B[@]}" --report "$W/$f"
done
t 2 "--out onto a hard link of the table" -- sample --model table:in/table.csv "${B[@]}" --out in/table-hard.csv
t 2 "--out onto a symlink to the table" -- sample --model table:in/table.csv "${B[@]}" --out in/table-soft.csv
t 2 "--report onto the table via its hard link spec" -- sample --model table:in/table-hard.csv "${B[@]}" --report in/table.csv
sh_ 2 "--out - appended onto the table itself" -- '$A sample --model table:in/table.csv --backend cpu --no-progress --out - >> in/table.csv'

# ---- 3. two outputs on one file, in every spelling and kind: exit 2, nothing written ----
M=(sample --model ust:grid=3x3 "${B[@]}")
t 2 "--out X --report X" '[[ ! -e o-x ]]' -- "${M[@]}" --out o-x --report o-x
t 2 "--out X --picture X" '[[ ! -e o-x ]]' -- "${M[@]}" --out o-x --picture o-x
t 2 "--report X --picture ./X" '[[ ! -e o-x ]]' -- "${M[@]}" --report o-x --picture ./o-x
t 2 "--out - --report -" -- "${M[@]}" --out - --report -
t 2 "--out - --report /dev/stdout" -- "${M[@]}" --out - --report /dev/stdout
t 2 "--picture fifo --report fifo (a shared FIFO hung)" -- "${M[@]}" --picture fifo --report fifo
t 2 "--out fifo --report fifo" -- "${M[@]}" --out fifo --report fifo
echo keep > keep/k.csv; ln -s k.csv keep/k-link.csv; ln keep/k.csv keep/k-hard.csv
t 2 "--out file --report its symlink" -- "${M[@]}" --out keep/k.csv --report keep/k-link.csv
t 2 "--out file --picture its hard link" -- "${M[@]}" --out keep/k.csv --picture keep/k-hard.csv

# ---- 4. output kinds: devices, pipes, links, bad places ----
R=(sample --model markov:q=2,stay=0.9 --n 16 --samples 3 "${B[@]}")
t 0 "--out /dev/null" -- "${R[@]}" --out /dev/null
t 1 "--out /dev/full (a full device)" -- "${R[@]}" --out /dev/full
t 1 "--report /dev/full" -- "${R[@]}" --report /dev/full
t 1 "--picture /dev/full (ust grid)" -- sample --model ust:grid=8x8 "${B[@]}" --picture /dev/full
sh_ 1 "--out - with stdout closed" -- '$A sample --model markov:q=2 --n 8 --backend cpu --no-progress --out - >&-'
sh_ 1 "report on stdout with stdout closed" -- '$A sample --model markov:q=2 --n 8 --backend cpu --no-progress >&-'
sh_ 0 "--out >(process substitution)" '[[ $(wc -l < o-ps.csv) == 3 ]]' -- '$A sample --model markov:q=2 --n 8 --samples 3 --backend cpu --no-progress --out >(cat > o-ps.csv); sleep 1'
sh_ 0 "--out - piped to wc" -- '$A sample --model markov:q=2 --n 8 --samples 3 --backend cpu --no-progress --out - | wc -l | grep -q 3'
t 2 "--out '' (empty name)" -- "${R[@]}" --out ""
t 2 "--report '' (empty name)" -- "${R[@]}" --report ""
t 2 "--picture '' (empty name)" -- sample --model ust:grid=3x3 "${B[@]}" --picture ""
t 2 "--out a directory" -- "${R[@]}" --out in
t 2 "--out in a missing directory" -- "${R[@]}" --out nowhere/s.csv
# Root writes through file modes: then a read-only target is writable, and exit 0 is right.
RO=2; [[ $EUID == 0 ]] && RO=0
t $RO "--out in a read-only directory" -- "${R[@]}" --out ro/s.csv
echo old > o-ro.csv; chmod 444 o-ro.csv
t $RO "--out onto a read-only file" -- "${R[@]}" --out o-ro.csv
ln -s nowhere/x keep/dangling-bad
t 2 "--out a dangling link into a missing dir" -- "${R[@]}" --out keep/dangling-bad
ln -s ../o-dl.csv keep/dangling-ok
t 0 "--out a dangling link (its target is created)" '[[ -L keep/dangling-ok && $(wc -l < o-dl.csv) == 3 ]]' -- "${R[@]}" --out keep/dangling-ok
rm -f keep/dangling-ok
echo old > o-mode.csv; chmod 640 o-mode.csv
t 0 "--out replaces a 0640 file, keeping its mode" '[[ $(stat -c %a o-mode.csv) == 640 && $(wc -l < o-mode.csv) == 3 ]]' -- "${R[@]}" --out o-mode.csv
t 0 "--out a new file gets the umask mode, not 0600" '[[ $(stat -c %a o-new.csv) == $(printf "%o" $(( 0666 & ~$(umask) ))) ]]' -- "${R[@]}" --out o-new.csv
echo old > o-hl.csv; ln o-hl.csv o-hl2.csv
t 0 "--out onto a file with another hard link (note)" 'grep -q "hard links" err.txt && [[ $(cat o-hl2.csv) == old ]]' -- "${R[@]}" --out o-hl.csv
t 2 "--picture of a model it cannot draw (n=15, not a square)" -- sample --model markov:q=2 --n 15 "${B[@]}" --picture o-p.png
t 0 "--picture of image-shaped AR samples (n=16)" '[[ -s o-p.png ]]' -- "${R[@]}" --picture o-p.png
t 2 "--picture of dpp:random (no points)" -- sample --model dpp:random,n=8,rank=2 "${B[@]}" --picture o-p.png
t 0 "--picture ust grid to a new png" '[[ $(head -c 4 o-p.png | tail -c 3) == PNG ]]' -- sample --model ust:grid=6x6 "${B[@]}" --picture o-p.png
t 0 "--picture aztec to a new png" '[[ -s o-p.png ]]' -- sample --model aztec:order=3 "${B[@]}" --picture o-p.png
t 0 "--picture dpp points to a new png" '[[ -s o-p.png ]]' -- sample --model dpp:points=in/points.csv --samples 2 "${B[@]}" --picture o-p.png

# ---- 5. bad model parameters and files: exit 2 everywhere ----
BAD_AR=("markov:q=1" "markov:q=2147483647" "potts:q=-3" "product:q=0" "markov:q=2,stay=1.5" "markov:q=2,stay=nan" "curie-weiss:beta=1e308"
        "parity:constraints=65" "markov:q=x" "markov:foo=1" "markov:q=2,q=3" "nosuchmodel:q=2")
for m in "${BAD_AR[@]}"; do t 2 "sample --model $m" -- sample --model "$m" --n 8 "${B[@]}"; done
BAD_DIF=("gmm:k=0" "gmm:d=0" "gmm:d=100000000" "atoms:k=-1" "box:d=0" "box:d=2,lo=1,hi=0" "gaussian:d=2,variance=0" "gaussian:d=2,mean=inf")
for m in "${BAD_DIF[@]}"; do t 2 "sample --model $m" -- sample --model "$m" "${B[@]}"; done
BAD_FILES=("table:in/binary.csv" "table:in/missing.csv" "atoms:in/binary.csv" "gmm:in/binary.csv" "dpp:in/binary.csv" "dpp:in/huge-L.csv"
           "ust:in/binary.csv" "dpp:points=in/binary.csv" "table:in" "dpp:random,n=0,rank=1" "dpp:random,n=8,rank=9" "ust:grid=1x1" "ust:grid=ax3" "aztec:order=0")
for m in "${BAD_FILES[@]}"; do t 2 "sample --model $m" -- sample --model "$m" "${B[@]}"; done
# ... too large to build: refused at once (they ran 6-10 s to an out-of-memory message)
for m in "ust:grid=200x200" "ust:grid=1024x1024" "aztec:order=4096" "dpp:random,n=65536,rank=3"; do
  t 2 "sample --model $m (construction memory)" 'grep -q "has N = " err.txt' -- sample --model "$m" "${B[@]}"
done
t 2 "sample --n 0" -- sample --model markov:q=2 --n 0 "${B[@]}"
t 2 "sample --threads 100000" -- sample --model markov:q=2 --n 8 --backend cpu --threads 100000
t 2 "sample --strategy token on diffusion" -- sample --model box:d=2 --strategy token "${B[@]}"
t 2 "sample --samples 0" -- sample --model markov:q=2 --n 8 --samples 0 "${B[@]}"
t 2 "sample with no --model" -- sample --n 8
t 2 "no command" --

# ---- 6. bench ----
BE=(bench --model markov:q=2,stay=0.9 --strategy sequential --n-min 8 --n-max 8 --seeds 1)
t 2 "bench --out-dir ''" -- "${BE[@]}" --out-dir ""
mkdir -p keep/sweep && echo "an earlier sweep" > keep/sweep/runs.csv
t 2 "bench --out-dir a non-empty directory" -- "${BE[@]}" --out-dir keep/sweep
t 2 "bench --out-dir a file" -- "${BE[@]}" --out-dir in/table.csv
t $RO "bench --out-dir read-only" -- "${BE[@]}" --out-dir ro/sweep
t 0 "bench --out-dir a new directory" '[[ -s o-sweep/runs.csv ]]' -- "${BE[@]}" --out-dir o-sweep
mkdir -p o-force && echo old > o-force/runs.csv
t 0 "bench --out-dir non-empty with --force" 'grep -q "^model," o-force/runs.csv' -- "${BE[@]}" --out-dir o-force --force
t 2 "bench --quick --n-max 5" -- bench --quick --n-max 5 --out-dir o-q
t 2 "bench --model markov:q=1" -- bench --model markov:q=1 --strategy sequential --out-dir o-b
t 2 "bench --model gmm:d=0" -- bench --model gmm:d=0 --strategy sequential --out-dir o-b
t 2 "bench --model table:in/binary.csv" -- bench --model table:in/binary.csv --strategy sequential --out-dir o-b
t 2 "bench --model aztec:order=4096" -- bench --model aztec:order=4096 --strategy sequential --out-dir o-b
t 2 "bench --strategy for no model" -- bench --model markov:q=2 --strategy picard --out-dir o-b
t 2 "bench --strategy bogus" -- bench --model markov:q=2 --strategy bogus --out-dir o-b

# ---- 7. pins, numbers, names, partial runs ----
# Contradictory pins on adjacent chain positions (probability zero): refused up front, every strategy.
for st in sequential speculative jacobi auto; do
  t 2 "--given 0=0,1=1 on markov stay=1 ($st)" 'grep -q "probability zero" err.txt' -- sample --model markov:q=2,stay=1.0 --n 3 --given 0=0,1=1 --strategy $st "${B[@]}"
done
t 2 "--given 1=2,2=2 on potts stay=0" 'grep -q "probability zero" err.txt' -- sample --model potts:q=3,stay=0.0 --n 4 --given 1=2,2=2 "${B[@]}"
t 2 "--given 0=0,1=1 on ltr-markov stay=1" 'grep -q "probability zero" err.txt' -- sample --model ltr-markov:q=2,stay=1.0 --n 3 --given 0=0,1=1 "${B[@]}"
t 2 "--given 2=7,3=8 on the q=64 closed form, stay=1" 'grep -q "probability zero" err.txt' -- sample --model potts:q=64,stay=1.0 --n 6 --given 2=7,3=8 "${B[@]}"
t 0 "--given compatible pins on markov stay=1" '[[ $(sort -u o-s.csv) == "1,1,1" ]]' -- sample --model markov:q=2,stay=1.0 --n 3 --given 0=1,1=1 --samples 5 "${B[@]}" --out o-s.csv
pins=$(seq 0 9999 | awk '{printf "%s%d=%d", (NR>1?",":""), $1, $1%2}')
t 0 "--given with 10000 pins (no stack overflow)" '[[ $(wc -l < o-s.csv) == 1 ]]' -- sample --model markov:q=2,stay=0.5 --n 10001 --given "$pins" "${B[@]}" --out o-s.csv
# A tiny rho still advances the trial batches.
t 0 "--strategy speculative:rho=1e-20 ends" -- sample --model markov:q=2,stay=0.9 --n 32 --samples 4 --strategy speculative:rho=1e-20 "${B[@]}" --out /dev/null
t 0 "--strategy speculative --rho 1e-12 ends" -- sample --model markov:q=2,stay=0.9 --n 32 --samples 4 --strategy speculative --rho 1e-12 "${B[@]}" --out /dev/null
# Numbers: non-finite and overflowing values are refused naming the option.
t 2 "--delta Infinity" 'grep -q -- "--delta" err.txt' -- sample --model box:d=2 --delta Infinity "${B[@]}"
t 2 "--rho NaN" 'grep -q -- "--rho" err.txt' -- sample --model markov:q=2 --n 8 --strategy speculative --rho NaN "${B[@]}"
t 2 "--delta 1e999 (overflows)" 'grep -q -- "--delta" err.txt' -- sample --model box:d=2 --delta 1e999 "${B[@]}"
t 2 "--n 99999999999 (overflows an int)" 'grep -q -- "--n" err.txt' -- sample --model markov:q=2 --n 99999999999 "${B[@]}"
t 2 "bench --delta Infinity: no directory made" '[[ ! -e o-bd ]]' -- bench --model box:d=2 --strategy sequential --delta Infinity --out-dir o-bd
# Files a model reads besides the one named: external data, the vocabulary sidecar.
printf '\x3a\x20\x2a\x1e\x42\x01\x77\x6a\x19\x0a\x08\x6c\x6f\x63\x61\x74\x69\x6f\x6e\x12\x0d\x65\x78\x74\x2e\x6f\x6e\x6e\x78\x2e\x64\x61\x74\x61' > in/ext.onnx
printf 'weights' > in/ext.onnx.data
t 2 "--out onto an ONNX model's external data" -- sample --model onnx:in/ext.onnx "${B[@]}" --out in/ext.onnx.data
t 2 "--report onto an ONNX model's external data" -- sample --model onnx:in/ext.onnx "${B[@]}" --report ./in/ext.onnx.data
if [[ -f in/digits.onnx ]]; then
  printf '\xf0\x9f\x98\x80\xf0\x9f\x8d\x95\n' > in/digits.onnx.vocab   # two emoji: the q = 2 of the digits model
  t 2 "--out onto an ONNX model's .vocab sidecar" -- sample --model onnx:in/digits.onnx "${B[@]}" --out in/digits.onnx.vocab
  t 2 "--picture onto an ONNX model's .vocab sidecar" -- sample --model onnx:in/digits.onnx "${B[@]}" --picture in/../in/digits.onnx.vocab
  t 0 "--format text with an emoji vocabulary" 'grep -q $'"'"'\xf0\x9f\x98\x80'"'"' o-t.txt && [[ $(head -1 o-t.txt | wc -m) == 65 ]]' \
      -- sample --model onnx:in/digits.onnx --format text "${B[@]}" --out o-t.txt
  t 0 "--given an emoji pattern" '[[ $(head -1 out.txt | head -c 8) == $'"'"'\xf0\x9f\x8d\x95\xf0\x9f\x98\x80'"'"' ]]' \
      -- sample --model onnx:in/digits.onnx --format text --given $'\xf0\x9f\x8d\x95\xf0\x9f\x98\x80' "${B[@]}" --out -
  rm -f in/digits.onnx.vocab
fi
# A failed run replaces no output: all outputs commit together.
# (keep/ is hashed before and after each case; the old contents are put back before each, since a
# mishandled case would write the same samples again.)
old() { echo "old samples" > keep/o.csv; echo "old report" > keep/r.json; }
old; t 1 "--out keep/o.csv --report /dev/full: o.csv unchanged" -- "${R[@]}" --out keep/o.csv --report /dev/full
old; t 1 "--out keep/o.csv --picture /dev/full: o.csv unchanged" -- "${R[@]}" --out keep/o.csv --picture /dev/full
old; t 1 "--out /dev/full --report keep/r.json: r.json unchanged" -- "${R[@]}" --out /dev/full --report keep/r.json
old; sh_ 1 "--out keep/o.csv, report on a closed stdout: o.csv unchanged" -- '$A sample --model markov:q=2 --n 8 --backend cpu --no-progress --out keep/o.csv >&-'
# Long names: up to 255 bytes work (the partial file's name fits); longer ones are refused first.
t 0 "--out a 240-byte name" '[[ -s o-$(printf "a%.0s" {1..238}) ]]' -- "${R[@]}" --out "o-$(printf 'a%.0s' {1..238})"
t 0 "--out a 255-byte name" '[[ -s o-$(printf "b%.0s" {1..253}) ]]' -- "${R[@]}" --out "o-$(printf 'b%.0s' {1..253})"
t 2 "--out a 256-byte name (refused up front)" '[[ ! -e o-$(printf "c%.0s" {1..254}) ]]' -- "${R[@]}" --out "o-$(printf 'c%.0s' {1..254})"
t 2 "--out under a regular file says 'not a directory'" 'grep -q "is not a directory" err.txt' -- "${R[@]}" --out in/table.csv/o.csv
t 2 "--out a name with a newline (one line, escaped)" 'grep -qF "a\\nb" err.txt' -- "${R[@]}" --out $'o-a\nb/x.csv'
# bench: every model x strategy x size checked before its directory; fixed-size models at their size.
[[ -f in/digits.onnx ]] && t 0 "bench onnx:digits with the default n range (n = 64 only)" 'grep -q ",64," o-bo/runs.csv' \
    -- bench --model onnx:in/digits.onnx --strategy sequential --seeds 1 --threads 1 --out-dir o-bo
t 0 "bench table: and ust:grid=3x3 (fixed sizes)" '[[ $(grep -c sequential o-bf/runs.csv) == 2 ]]' \
    -- bench --model table:in/table.csv --model ust:grid=3x3 --strategy sequential --seeds 1 --threads 1 --out-dir o-bf

# ---- 8. Spark ----
if [[ $SPARK == 1 && -f "$here/spark/target/autospec-spark.jar" && -d "$here/spark/target/lib" ]]; then
  SP=(sample --model markov:q=2,stay=0.9 --n 8 --backend cpu)
  s 2 "spark --master bogus://x" -- "${SP[@]}" --master bogus://x
  s 2 "spark --master local[0]" -- "${SP[@]}" --master 'local[0]'
  s 2 "spark --model markov:q=1" -- sample --model markov:q=1 --n 8
  s 2 "spark --model gmm:d=0" -- sample --model gmm:d=0
  s 2 "spark --model ust:grid=1024x1024" -- sample --model ust:grid=1024x1024
  s 2 "spark --out ''" -- "${SP[@]}" --out ""
  s 2 "spark --out an existing directory" -- "${SP[@]}" --out keep/sweep
  s 2 "spark --out the model's input file" -- sample --model table:in/table.csv --out in/table.csv
  s 2 "spark --partitions 0" -- "${SP[@]}" --partitions 0
  s 0 "spark --samples 8 --partitions 1000000 (capped)" 'grep -q "capped at 8" err.txt && [[ $(grep -c " INFO " err.txt) -lt 5 ]]' \
      -- "${SP[@]}" --samples 8 --partitions 1000000 --master 'local[1]'
  s 0 "spark --out new dir: part-*.csv, WARN logs" 'ls o-spark/part-*.csv >/dev/null && [[ $(grep -c " INFO " err.txt) -lt 5 ]]' \
      -- "${SP[@]}" --samples 6 --partitions 2 --master 'local[1]' --out o-spark
  s 2 "spark --out under a regular file (before a session)" 'grep -q "is not a directory" err.txt' -- "${SP[@]}" --out in/table.csv/sub
  JAVA_OPTS=-Xmx1g s 2 "spark --samples 100000000 under -Xmx1g (memory check)" '[[ ! -e o-big ]] && grep -q "memory" err.txt' \
      -- "${SP[@]}" --samples 100000000 --out o-big
  s 0 "spark: logs on stderr, the summary alone on stdout" '! grep -q " WARN " out.txt && [[ $(grep -c "^autospec-spark: " out.txt) == 2 ]]' \
      -- "${SP[@]}" --samples 4 --master 'local[1]' --out o-sp2
  # Two runs racing for one --out: the loser (exit 1) leaves the winner's directory whole.
  LIMIT=$SPARK_LIMIT sh_ 0 "spark: two runs on one --out keep the winner's" 'ls o-race/part-*.csv >/dev/null && [[ -z $(ls -a | grep "\.partial") ]]' -- \
      "S=$here/spark/run-local.sh; \$S sample --model markov:q=2 --n 8 --samples 4 --master 'local[1]' --out o-race 2>/dev/null & \$S sample --model markov:q=2 --n 8 --samples 4 --master 'local[1]' --out o-race 2>/dev/null; wait; true"
  # SIGTERM: no --out, no partial directory, no stack traces.
  LIMIT=$SPARK_LIMIT sh_ 143 "spark: SIGTERM mid-run leaves nothing and no traces" '[[ ! -e o-term && $(grep -c . err.txt) -lt 10 ]]' -- \
      "$here/spark/run-local.sh sample --model potts:q=5,stay=0.6 --n 4096 --samples 4000 --strategy sequential --master 'local[2]' --out o-term & p=\$!; sleep 12; kill -TERM \$p; wait \$p"
else
  echo "hostile-battery: Spark cases skipped (SPARK=0 or no spark/target/autospec-spark.jar)" >&2
fi

echo
echo "hostile battery: tried $tried, clean $clean, mishandled $bad"
for f in "${FAILS[@]}"; do echo "  $f"; done
exit "$bad"
