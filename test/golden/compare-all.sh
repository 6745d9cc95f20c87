#!/bin/sh
# Compares synack's -z output with tshark's on every shared capture (run by hand, slow: tshark
# starts once per capture and statistic). Prints, per statistic, how many captures match and
# which do not. Usage: sh test/golden/compare-all.sh [SPEC...]   (default: the list below)
set -u
here=$(cd "$(dirname "$0")" && pwd)
synack="$here/../../bin/synack"
captures="$here/../../../shared/captures"
specs=${*:-"conv,eth conv,ip conv,ipv6 conv,tcp conv,udp endpoints,eth endpoints,ip endpoints,ipv6 endpoints,tcp endpoints,udp expert follow,tcp,ascii,0 follow,tcp,hex,0 follow,tcp,raw,1"}
for spec in $specs; do
  ok=0
  bad=""
  for f in "$captures"/*.pcap "$captures"/*.pcapng; do
    a=$(tshark -n -r "$f" -q -z "$spec" 2>/dev/null)
    b=$("$synack" -r "$f" -q -z "$spec" 2>/dev/null)
    if [ "$a" = "$b" ]; then ok=$((ok + 1)); else bad="$bad $(basename "$f")"; fi
  done
  echo "$spec: $ok match; differ:${bad:- none}"
done
