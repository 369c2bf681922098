#!/usr/bin/env bash
# The documents as an operator makes them, with the real binary on a temp data folder: import
# the Padang example, `export --document` of each Bimtek document (html, and pdf when Chromium
# is installed, read back with pdftotext), the refusals (a document as md, a PDF without
# Chromium, saying how to install it), and numbers as people read them in `replay`, `diff`
# and the exports.
#
#   cli_documents_test.sh REMBUK_BINARY EXAMPLE.jsonl
set -uo pipefail

rembuk=${1:?usage: cli_documents_test.sh REMBUK_BINARY EXAMPLE.jsonl}
example=${2:?usage: cli_documents_test.sh REMBUK_BINARY EXAMPLE.jsonl}
work=$(mktemp -d /tmp/rembuk-cli-documents-XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
expect() {  # expect CODE NAME COMMAND...
  local code=$1 name=$2; shift 2
  "$@" > "$work/out" 2> "$work/err"
  local got=$?
  [[ $got == "$code" ]] || { fail "$name: exit $got, expected $code"; cat "$work/err" >&2; }
}
contains() {  # contains FILE TEXT NAME
  grep -qF -- "$2" "$1" || { fail "$3: '$2' not in $1"; head -c 2000 "$1" >&2; }
}
lacks_scientific() {  # lacks_scientific FILE NAME: no 1.21E2, 0E0, 1E5
  if grep -qE '[0-9]E[+-]?[0-9]' "$1"; then
    fail "$2: a number in scientific notation: $(grep -oE '.{20}[0-9]E[+-]?[0-9].{10}' "$1" | head -3)"
  fi
}

expect 0 import "$rembuk" import --data "$work/data" "$example"

# Numbers in the CLI's views and the exports.
expect 0 "replay document" "$rembuk" replay --data "$work/data" --masterplan padang-2019
cp "$work/out" "$work/replay.txt"
lacks_scientific "$work/replay.txt" "replay --view document"
contains "$work/replay.txt" "49.500.000.000" "replay --view document"
grep -qE 'SDM TI Pemko Padang +121 +orang' "$work/replay.txt" ||
  fail "replay --view document: readiness '121  orang' not found"
expect 0 "diff" "$rembuk" diff --data "$work/data" --masterplan padang-2019 --from 60 --to 70
lacks_scientific "$work/out" "diff"
for format in md html; do
  expect 0 "export $format" "$rembuk" export --data "$work/data" --masterplan padang-2019 \
    --format "$format" --out "$work/export.$format"
  lacks_scientific "$work/export.$format" "export $format"
  contains "$work/export.$format" "SDM TI Pemko Padang — 121 orang" "export $format"
  contains "$work/export.$format" "1.500 (2019)" "export $format"
done

# The four documents as HTML.
for document in buku1 buku2 ringkasan quickwin; do
  expect 0 "export --document $document" "$rembuk" export --data "$work/data" \
    --masterplan padang-2019 --document "$document" --format html --out "$work/$document.html"
  contains "$work/$document.html" "Kota Padang" "$document"
  contains "$work/$document.html" "Daftar Isi" "$document"
  lacks_scientific "$work/$document.html" "$document"
done
contains "$work/err" "(quickwin, html)" "export --document quickwin"
expect 0 "export --document buku2 --lang en" "$rembuk" export --data "$work/data" \
  --masterplan padang-2019 --document buku2 --lang en --format html --out "$work/buku2-en.html"
contains "$work/buku2-en.html" "Rp 49,500,000,000" "buku2 in English"

# Refusals: a document as md; an unknown document; a PDF without Chromium.
expect 1 "a document as md" "$rembuk" export --data "$work/data" --masterplan padang-2019 \
  --document buku1 --format md
contains "$work/err" "html or pdf" "a document as md"
expect 105 "an unknown document" "$rembuk" export --data "$work/data" --masterplan padang-2019 \
  --document buku3 --format html
CHROMIUM_PATH=/nonexistent/chromium expect 3 "pdf without Chromium" "$rembuk" export \
  --data "$work/data" --masterplan padang-2019 --document buku2 --format pdf --out "$work/x.pdf"
contains "$work/err" "apt-get install chromium" "pdf without Chromium"
[[ -e $work/x.pdf ]] && fail "pdf without Chromium wrote a file"

# A PDF, read back as a person reads it.
if command -v chromium >/dev/null || [[ -n ${CHROMIUM_PATH:-} ]]; then
  expect 0 "export --document buku2 --format pdf" "$rembuk" export --data "$work/data" \
    --masterplan padang-2019 --document buku2 --format pdf --out "$work/buku2.pdf"
  [[ $(head -c 5 "$work/buku2.pdf") == "%PDF-" ]] || fail "buku2.pdf is not a PDF"
  pdftotext -layout "$work/buku2.pdf" "$work/buku2.txt" || fail "pdftotext (poppler-utils) failed"
  contains "$work/buku2.txt" "Masterplan Smart City" "buku2.pdf"
  contains "$work/buku2.txt" "Indikator Kinerja" "buku2.pdf"
  contains "$work/buku2.txt" "Rp 49.500.000.000" "buku2.pdf"
  contains "$work/buku2.txt" "121 orang" "buku2.pdf"
  contains "$work/buku2.txt" "Halaman 3 dari" "buku2.pdf"
else
  echo "SKIP: the PDF checks: Chromium is not installed (apt-get install chromium)"
fi

if ((failures > 0)); then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "cli documents: all checks passed"
