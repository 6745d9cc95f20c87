#!/usr/bin/env bash
# Records the TCP analysis fixtures in test/fixtures/tcp/ from real traffic, one small pcap per case:
#
#   http-complete.pcap       a complete HTTP exchange: handshake, GET, response, FIN close
#   refused.pcap             a connection to a closed port: SYN answered by RST
#   unanswered.pcap          SYNs the server drops (nft): the client retries with back-off, gives up at 7.5 s
#   lossy-bulk.pcap          a 400 KB download with 3 % random loss of the data segments (nft numgen):
#                            retransmissions, duplicate ACKs with SACK blocks (snaplen 128)
#   zero-window.pcap         a receiver with a small buffer that stops reading for 3 s: zero windows,
#                            window probes, window updates, then the transfer completes (snaplen 128)
#   keepalive.pcap           an idle connection with TCP keep-alives every second for ~4.5 s
#   reset-mid-transfer.pcap  a server that aborts (SO_LINGER 0, close) while the client uploads
#   port-reuse.pcap          two successive connections from the same client port to the same server port
#
# Two network namespaces of the script's own (synack-tcp-client 10.10.14.31, synack-tcp-server
# 10.10.10.5, both in 10.10.0.0/16) are joined by a veth pair with fixed MAC addresses, IPv6 disabled,
# permanent neighbour entries (no ARP) and checksum/segmentation offloads off (correct checksums,
# MSS-sized segments), as in scripts/make-sample.sh. Every capture is taken by tcpdump on the server
# end of the veth (Ethernet, microsecond pcap), filtered to the one port the case uses; no other host
# or interface is ever involved. Python 3 (standard library only) plays client and server where curl
# cannot.
#
# Where the loss is made (lossy-bulk): an nft rule on the client's ingress hook drops 3 % of the data
# segments the server sends, after the server-side capture has seen them. The capture therefore
# holds each lost segment and its retransmission, as a capture at the sender does on a lossy path.
#
# Usage (root; needs ip, tcpdump, nft, ethtool, curl, python3 — installed with apt if missing):
#   sudo scripts/make-tcp-fixtures.sh [output-directory]   # default: test/fixtures/tcp
# Tests never run this; it documents how the committed captures were made. Every run records new
# captures (times, ports, sequence numbers and, for the lossy transfer, which segments are lost
# differ); test/fixtures/tcp/README.md describes the committed ones.
# The namespaces and every process started here are removed on exit, even on failure (trap).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-"$repo/test/fixtures/tcp"}
client_ns=synack-tcp-client
server_ns=synack-tcp-server
client_ip=10.10.14.31
server_ip=10.10.10.5
client_mac=02:00:0a:0a:0e:1f
server_mac=02:00:0a:0a:0a:05

if [[ $(id -u) -ne 0 ]]; then
  echo "make-tcp-fixtures.sh: needs root (creates network namespaces and captures packets)" >&2
  exit 1
fi

missing=()
command -v tcpdump > /dev/null || missing+=(tcpdump)
command -v ip > /dev/null || missing+=(iproute2)
command -v nft > /dev/null || missing+=(nftables)
command -v ethtool > /dev/null || missing+=(ethtool)
command -v curl > /dev/null || missing+=(curl)
command -v python3 > /dev/null || missing+=(python3)
if ((${#missing[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

work=$(mktemp -d)
pids=()
tcpdump_pid=
cleanup() {
  [[ -n $tcpdump_pid ]] && kill "$tcpdump_pid" 2> /dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  wait 2> /dev/null || true
  ip netns del "$client_ns" 2> /dev/null || true
  ip netns del "$server_ns" 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

in_client() { ip netns exec "$client_ns" "$@"; }
in_server() { ip netns exec "$server_ns" "$@"; }

# --- the two namespaces -------------------------------------------------------------------------
ip netns del "$client_ns" 2> /dev/null || true
ip netns del "$server_ns" 2> /dev/null || true
ip netns add "$client_ns"
ip netns add "$server_ns"
ip link add veth-client netns "$client_ns" address "$client_mac" type veth \
  peer name veth-server netns "$server_ns" address "$server_mac"
for ns in "$client_ns" "$server_ns"; do
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip -n "$client_ns" addr add "$client_ip/16" dev veth-client
ip -n "$server_ns" addr add "$server_ip/16" dev veth-server
for pair in "$client_ns veth-client" "$server_ns veth-server"; do
  read -r ns dev <<< "$pair"
  ip netns exec "$ns" ethtool -K "$dev" tx off rx off tso off gso off gro off > /dev/null 2>&1 || true
  ip -n "$ns" link set lo up
  ip -n "$ns" link set "$dev" up
done
# Linux 6.5+ retries the first SYNs at linear 1 s intervals (tcp_syn_linear_timeouts, default 4);
# the classic exponential back-off (1, 2, 4 s) is what the unanswered case is meant to show.
in_client sysctl -qw net.ipv4.tcp_syn_linear_timeouts=0 2> /dev/null || true
ip -n "$client_ns" neigh replace "$server_ip" lladdr "$server_mac" dev veth-client nud permanent
ip -n "$server_ns" neigh replace "$client_ip" lladdr "$client_mac" dev veth-server nud permanent

# --- the Python peers (standard library only) ---------------------------------------------------
cat > "$work/peer.py" << 'EOF'
"""Client and server roles for make-tcp-fixtures.sh: python3 peer.py ROLE HOST PORT."""
import socket
import struct
import sys
import time

role, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])


def listener(rcvbuf=0):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf:
        # Set before listen() so the accepted socket inherits it and the SYN-ACK announces it.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind((host, port))
    s.listen(1)
    return s


def read_all(conn):
    total = 0
    while True:
        data = conn.recv(65536)
        if not data:
            return total
        total += len(data)


if role == "unanswered-client":
    # The SYN-SENT socket is closed after 7.5 s: SYNs at 0, 1, 3 and 7 s (Linux's back-off).
    s = socket.socket()
    s.settimeout(7.5)
    try:
        s.connect((host, port))
    except (socket.timeout, OSError):
        pass
    s.close()
elif role == "bulk-server":
    # Sends 400 KB to the client, then closes.
    srv = listener()
    conn, _ = srv.accept()
    conn.sendall(bytes(range(256)) * 1600)
    conn.shutdown(socket.SHUT_WR)
    read_all(conn)
    conn.close()
elif role == "bulk-client":
    # A fixed receive buffer turns off receive-window autotuning, so the ACKs that follow a loss
    # repeat the same window and count as duplicate ACKs.
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 131072)
    s.settimeout(30)
    s.connect((host, port))
    n = read_all(s)
    s.close()
    assert n == 409600, n
elif role == "zero-window-server":
    # A small receive buffer, and 3 s without reading: the window closes while the client sends.
    srv = listener(rcvbuf=4096)
    conn, _ = srv.accept()
    time.sleep(3)
    n = read_all(conn)
    conn.close()
    assert n == 65536, n
elif role == "zero-window-client":
    s = socket.create_connection((host, port), timeout=30)
    s.sendall(b"z" * 65536)
    s.shutdown(socket.SHUT_WR)
    read_all(s)
    s.close()
elif role == "keepalive-server":
    srv = listener()
    conn, _ = srv.accept()
    read_all(conn)
    conn.close()
elif role == "keepalive-client":
    # Idle for 4.5 s with keep-alives after 1 s of idleness, then every second.
    s = socket.create_connection((host, port), timeout=30)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 5)
    time.sleep(4.5)
    s.close()
elif role == "reset-server":
    # Reads 32 KB of the upload, then aborts: SO_LINGER with a zero timeout makes close() send RST.
    srv = listener()
    conn, _ = srv.accept()
    got = 0
    while got < 32768:
        got += len(conn.recv(min(8192, 32768 - got)))
    time.sleep(0.1)  # more of the upload arrives and stays unread
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()
elif role == "reset-client":
    # Uploads slowly (4 KB every 20 ms) so the reset arrives while data still flows.
    s = socket.create_connection((host, port), timeout=30)
    try:
        for _ in range(64):
            s.send(b"u" * 4096)
            time.sleep(0.02)
    except OSError:
        pass
    s.close()
elif role == "reuse-server":
    # Two connections; the server closes first each time, so the TIME-WAIT state is the server's
    # and the client may bind the same port again at once.
    srv = listener()
    for _ in range(2):
        conn, _ = srv.accept()
        conn.recv(100)
        conn.sendall(b"bye\n")
        conn.close()
elif role == "reuse-client":
    for i in range(2):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", 40000))
        s.connect((host, port))
        s.sendall(b"hello %d\n" % i)
        while s.recv(100):
            pass
        s.close()
        time.sleep(1)
else:
    sys.exit("unknown role " + role)
EOF

mkdir -p "$work/www"
cat > "$work/www/index.html" << 'EOF'
<!DOCTYPE html>
<html>
<head><title>synack TCP fixture</title></head>
<body><p>One complete HTTP exchange over one TCP connection.</p></body>
</html>
EOF

# --- helpers ------------------------------------------------------------------------------------
wait_listening() { # port
  for _ in $(seq 100); do
    in_server ss -Hltn "sport = :$1" | grep -q . && return 0
    sleep 0.1
  done
  echo "make-tcp-fixtures.sh: nothing listens on port $1 in $server_ns" >&2
  exit 1
}

start_server() { # port command...
  local port=$1
  shift
  # `ip netns exec` directly (not a shell function) so that $! is the process itself.
  ip netns exec "$server_ns" "$@" > "$work/server-$port.log" 2>&1 &
  pids+=($!)
  wait_listening "$port"
}

capture() { # file snaplen port
  ip netns exec "$server_ns" tcpdump -i veth-server -s "$2" -U -Z root --time-stamp-precision=micro \
    -w "$out/$1" "tcp port $3" 2> "$work/tcpdump.log" &
  tcpdump_pid=$!
  for _ in $(seq 100); do
    grep -q 'listening on' "$work/tcpdump.log" && return 0
    sleep 0.1
  done
  echo "make-tcp-fixtures.sh: tcpdump did not start:" >&2
  cat "$work/tcpdump.log" >&2
  exit 1
}

stop_capture() { # file
  sleep 1 # the last segments of the close reach the capture
  kill -INT "$tcpdump_pid"
  wait "$tcpdump_pid" || true
  tcpdump_pid=
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  wait 2> /dev/null || true
  pids=()
  echo "== $1 ($(stat -c %s "$out/$1") bytes): $(tail -1 "$work/tcpdump.log")" >&2
}

peer() { echo "python3 $work/peer.py"; }

mkdir -p "$out"

# 1. A complete HTTP exchange.
start_server 80 python3 -m http.server 80 --bind "$server_ip" --directory "$work/www"
capture http-complete.pcap 0 80
in_client curl --silent --show-error --http1.1 --output /dev/null "http://$server_ip/"
stop_capture http-complete.pcap

# 2. A closed port: the server's kernel answers the SYN with RST-ACK.
capture refused.pcap 0 81
in_client curl --silent --connect-timeout 2 "http://$server_ip:81/" && exit 1
stop_capture refused.pcap

# 3. A port whose SYNs the server namespace drops without answer (as a firewall would).
in_server nft add table inet synack
in_server nft add chain inet synack input '{ type filter hook input priority 0; }'
in_server nft add rule inet synack input tcp dport 82 drop
capture unanswered.pcap 0 82
in_client $(peer) unanswered-client "$server_ip" 82
stop_capture unanswered.pcap
in_server nft delete table inet synack

# 4. A bulk download with 3 % of the server's data segments lost between the capture and the client.
in_client nft add table netdev synack
in_client nft add chain netdev synack ingress '{ type filter hook ingress device veth-client priority 0; }'
in_client nft add rule netdev synack ingress \
  'ip saddr' "$server_ip" 'tcp sport 5001 ip length > 100 tcp flags & (syn | fin | rst) == 0 numgen random mod 100 < 3 drop'
start_server 5001 $(peer) bulk-server "$server_ip" 5001
capture lossy-bulk.pcap 128 5001
in_client $(peer) bulk-client "$server_ip" 5001
stop_capture lossy-bulk.pcap
in_client nft delete table netdev synack

# 5. A receiver that stops reading: zero window, probes, updates.
start_server 5002 $(peer) zero-window-server "$server_ip" 5002
capture zero-window.pcap 128 5002
in_client $(peer) zero-window-client "$server_ip" 5002
stop_capture zero-window.pcap

# 6. An idle connection kept alive.
start_server 5003 $(peer) keepalive-server "$server_ip" 5003
capture keepalive.pcap 0 5003
in_client $(peer) keepalive-client "$server_ip" 5003
stop_capture keepalive.pcap

# 7. A server that aborts the connection while the client uploads.
start_server 5004 $(peer) reset-server "$server_ip" 5004
capture reset-mid-transfer.pcap 128 5004
in_client $(peer) reset-client "$server_ip" 5004
stop_capture reset-mid-transfer.pcap

# 8. Two connections from client port 40000 to the same server port.
start_server 5005 $(peer) reuse-server "$server_ip" 5005
capture port-reuse.pcap 0 5005
in_client $(peer) reuse-client "$server_ip" 5005
stop_capture port-reuse.pcap

for f in http-complete refused unanswered lossy-bulk zero-window keepalive reset-mid-transfer port-reuse; do
  echo "== $f.pcap: $(tcpdump -nr "$out/$f.pcap" 2> /dev/null | wc -l) frames" >&2
done
