#!/bin/sh
# Writes the training corpus of onnx/python/train_text.py: the King James Bible (public domain;
# Debian packages bible-kjv + bible-kjv-text, from the Project Gutenberg / CrossWire KJV text),
# verse references removed, lower-cased, verses joined by single spaces into one line.
# 37 distinct symbols: space, a-z and  ! ' ( ) , - . : ; ?   (~4.3 MB).
#
#   apt-get install -y bible-kjv bible-kjv-text
#   sh onnx/python/prepare_corpus.sh OUT_FILE
set -eu
out=${1:?usage: prepare_corpus.sh OUT_FILE}
command -v bible >/dev/null || { echo "prepare_corpus.sh: 'bible' not found (apt-get install -y bible-kjv bible-kjv-text)" >&2; exit 2; }
tmp="$out.tmp.$$"
bible -f "gen1:1-rev22:21" \
  | sed -E 's/^[1-3]?[A-Za-z]+[0-9]+:[0-9]+ //' \
  | tr 'A-Z' 'a-z' \
  | tr '\n' ' ' \
  | sed -E 's/  +/ /g; s/ $//' > "$tmp"
if LC_ALL=C grep -q '[^a-z !(),.:;?'"'"'-]' "$tmp"; then
  echo "prepare_corpus.sh: unexpected characters left in the corpus:" >&2
  LC_ALL=C grep -o '[^a-z !(),.:;?'"'"'-]' "$tmp" | sort | uniq -c >&2
  rm -f "$tmp"; exit 1
fi
mv "$tmp" "$out"
echo "prepare_corpus.sh: wrote $out ($(wc -c < "$out") bytes)"
