#!/usr/bin/env bash
# Records samples/http-handshake.pcap from real traffic: one HTTP request over one TCP connection.
#
# Two network namespaces (synack-client 10.10.14.31, synack-server 10.10.10.5, both in 10.10.0.0/16)
# are joined by a veth pair; a tiny Python HTTP server in the server namespace serves a small
# index.html; tcpdump records the server end of the veth (Ethernet, microsecond pcap, -s 0, filter
# `tcp port 80`) while curl fetches http://10.10.10.5/ once from the client namespace. The result is
# the classic lesson: SYN, SYN-ACK, ACK, GET, response, FIN teardown.
#
# Usage (root; needs ip, tcpdump, curl, python3, ethtool — installed with apt if missing):
#   sudo scripts/make-sample.sh [output.pcap]      # default: samples/http-handshake.pcap
# Tests never run this; it documents how the committed capture was made. Every run records a new
# capture (times, ports and initial sequence numbers differ), equivalent frame by frame.
# The namespaces and the server are removed on exit, even on failure (trap).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-"$repo/samples/http-handshake.pcap"}
client_ns=synack-client
server_ns=synack-server
client_ip=10.10.14.31
server_ip=10.10.10.5
# Fixed, locally administered MAC addresses, so the Ethernet layer reads the same on every run.
client_mac=02:00:0a:0a:0e:1f
server_mac=02:00:0a:0a:0a:05

if [[ $(id -u) -ne 0 ]]; then
  echo "make-sample.sh: needs root (creates network namespaces and captures packets)" >&2
  exit 1
fi

missing=()
command -v tcpdump > /dev/null || missing+=(tcpdump)
command -v curl > /dev/null || missing+=(curl)
command -v ethtool > /dev/null || missing+=(ethtool)
command -v python3 > /dev/null || missing+=(python3)
if ((${#missing[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

work=$(mktemp -d)
server_pid=
tcpdump_pid=
cleanup() {
  [[ -n $tcpdump_pid ]] && kill "$tcpdump_pid" 2> /dev/null || true
  [[ -n $server_pid ]] && kill "$server_pid" 2> /dev/null || true
  wait 2> /dev/null || true
  ip netns del "$client_ns" 2> /dev/null || true
  ip netns del "$server_ns" 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Leftovers from an interrupted run would make `ip netns add` fail.
ip netns del "$client_ns" 2> /dev/null || true
ip netns del "$server_ns" 2> /dev/null || true

ip netns add "$client_ns"
ip netns add "$server_ns"
ip link add veth-client netns "$client_ns" address "$client_mac" type veth \
  peer name veth-server netns "$server_ns" address "$server_mac"

for ns in "$client_ns" "$server_ns"; do
  # No IPv6 on the link: no router solicitations or neighbour discovery in the capture.
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done

ip -n "$client_ns" addr add "$client_ip/16" dev veth-client
ip -n "$server_ns" addr add "$server_ip/16" dev veth-server
for pair in "$client_ns veth-client" "$server_ns veth-server"; do
  read -r ns dev <<< "$pair"
  # veth hands checksums and segmentation to "hardware" that does not exist; a capture of the
  # sending side would then show unfinished checksums. Compute them in the stack instead.
  ip netns exec "$ns" ethtool -K "$dev" tx off rx off tso off gso off gro off > /dev/null 2>&1 || true
  ip -n "$ns" link set lo up
  ip -n "$ns" link set "$dev" up
done
# Permanent neighbour entries: no ARP exchange is needed, so none precedes the SYN.
ip -n "$client_ns" neigh replace "$server_ip" lladdr "$server_mac" dev veth-client nud permanent
ip -n "$server_ns" neigh replace "$client_ip" lladdr "$client_mac" dev veth-server nud permanent

mkdir -p "$work/www"
cat > "$work/www/index.html" << 'EOF'
<!DOCTYPE html>
<html>
<head><title>synack sample</title></head>
<body>
<h1>Hello from 10.10.10.5</h1>
<p>This page travelled over one TCP connection: SYN, SYN-ACK, ACK, GET, 200 OK, FIN.</p>
</body>
</html>
EOF

ip netns exec "$server_ns" python3 -m http.server 80 --bind "$server_ip" --directory "$work/www" \
  > "$work/server.log" 2>&1 &
server_pid=$!
# Wait for the listening socket without connecting to it (a probe connection would be captured).
for _ in $(seq 100); do
  ip netns exec "$server_ns" ss -Hltn "sport = :80" | grep -q . && break
  sleep 0.1
done
ip netns exec "$server_ns" ss -Hltn "sport = :80" | grep -q . || {
  echo "make-sample.sh: the HTTP server did not start:" >&2
  cat "$work/server.log" >&2
  exit 1
}

mkdir -p "$(dirname "$out")"
# -Z root: write the file as root (Debian's tcpdump otherwise drops to the tcpdump user).
ip netns exec "$server_ns" tcpdump -i veth-server -s 0 -U -Z root --time-stamp-precision=micro \
  -w "$out" 'tcp port 80' 2> "$work/tcpdump.log" &
tcpdump_pid=$!
for _ in $(seq 100); do
  grep -q 'listening on' "$work/tcpdump.log" && break
  sleep 0.1
done
grep -q 'listening on' "$work/tcpdump.log" || {
  echo "make-sample.sh: tcpdump did not start:" >&2
  cat "$work/tcpdump.log" >&2
  exit 1
}

ip netns exec "$client_ns" curl --silent --show-error --http1.1 --output "$work/page.html" "http://$server_ip/"
cmp -s "$work/page.html" "$work/www/index.html" || {
  echo "make-sample.sh: the page fetched differs from the page served" >&2
  exit 1
}

# Let the last ACK of the teardown reach the capture, then stop tcpdump cleanly (it flushes on SIGINT).
sleep 1
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" || true
tcpdump_pid=
cat "$work/tcpdump.log" >&2

echo "wrote $out:" >&2
tcpdump -nr "$out" 2> /dev/null
