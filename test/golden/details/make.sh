#!/bin/sh
# Makes details.sha256: the SHA-256 of tshark 4.0's `tshark -n -r CAPTURE -V` (one pass) for each
# shared capture in the list below, whose -V synack matches byte for byte (details.test.ts checks
# that it still does). Hashes, not the texts: they are up to 8 MB a capture. Run by hand where
# tshark is installed; to see what differs: diff <(tshark -n -r F -V) <(synack -r F -V).
#   sh test/golden/details/make.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
captures="$here/../../../../shared/captures"
: >"$here/details.sha256"
while read -r capture; do
  [ -n "$capture" ] || continue
  sum=$(tshark -n -r "$captures/$capture" -V 2>/dev/null | sha256sum | cut -d' ' -f1)
  echo "$sum  $capture" >>"$here/details.sha256"
done <"$here/captures.txt"
