#!/usr/bin/env bash
# Runs the Spark module's command locally, without a Spark installation, on the jars `mvn package`
# puts in spark/target (autospec-spark.jar, and Spark in lib/), with the JVM flags Spark needs on
# Java 17 (read from spark/pom.xml, the one list of them). Another main class: AUTOSPEC_SPARK_CLASS.
#   spark/run-local.sh sample --model markov:q=2,stay=0.9 --n 256 --samples 1000 --partitions 4 --out /tmp/s
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [[ ! -f "$here/target/autospec-spark.jar" || ! -d "$here/target/lib" ]]; then
  echo "run-local.sh: build first: mvn -q -B package -DskipTests -pl spark -am" >&2
  exit 2
fi
flags=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' "$here/pom.xml")
# shellcheck disable=SC2086  # the flags are separate words
exec java $flags ${JAVA_OPTS:-} -cp "$here/target/autospec-spark.jar:$here/target/lib/*" \
  "${AUTOSPEC_SPARK_CLASS:-io.autospec.spark.Main}" "$@"
