#!/bin/sh
# Ten samples and three infillings of a text model (for RESULTS.md), through the CLI.
#   sh onnx/python/text_examples.sh [MODEL.onnx] [JAR]     (after: mvn -q -B package -DskipTests)
set -eu
model=${1:-onnx/models/text.onnx}
jar=${2:-target/autospec.jar}
strategy=${STRATEGY:-auto} # sequential gives the same samples (auto returns the sequential sample) with the fewest network rows
coupling=${COUPLING:-auto} # RESULTS.md section 13 was drawn with COUPLING=inverse-cdf (the default before the gumbel coupling)
run() { java -jar "$jar" sample --model "onnx:$model" --no-progress --format text --out - --coupling "$coupling" "$@" 2>/dev/null | sed 's/^/    /'; }
echo "## ten samples (--strategy "$strategy" --samples 10 --seed 1)"
run --strategy "$strategy" --samples 10 --seed 1
for g in "_____ kitchen today." \
         "in the beginning ___ created the ______ and the earth. and the" \
         "and the lord said unto _____, ____ ___ ____ __ ___ _____ ___________."; do
  echo "## --given \"$g\" (--strategy $strategy --samples 3 --seed 2; '_' and everything after the pattern are free)"
  run --strategy "$strategy" --samples 3 --seed 2 --given "$g"
done
