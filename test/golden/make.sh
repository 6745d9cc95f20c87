#!/bin/sh
# Makes the golden files the statistics tests compare synack with: tshark 4.0's own output of
# `tshark -n -r CAPTURE -q -z SPEC` for a few shared captures, one file per pair, named
# "CAPTURE--SPEC.txt". Run by hand where tshark is installed (the tests only read the files):
#   sh test/golden/make.sh
# -n: synack never resolves names, so the Ethernet tables show addresses, not vendor names.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
captures="$here/../../../shared/captures"

while read -r capture spec; do
  [ -n "$capture" ] || continue
  tshark -n -r "$captures/$capture" -q -z "$spec" 2>/dev/null >"$here/$capture--$spec.txt"
  echo "$capture -z $spec"
done <<'LIST'
ppa__http_google.pcapng conv,eth
ppa__http_google.pcapng conv,ip
ppa__http_google.pcapng conv,tcp
ppa__http_google.pcapng conv,udp
ppa__http_google.pcapng endpoints,eth
ppa__http_google.pcapng endpoints,ip
ppa__http_google.pcapng endpoints,tcp
ppa__http_google.pcapng follow,tcp,ascii,0
ppa__http_google.pcapng follow,tcp,hex,0
ppa__http_google.pcapng follow,tcp,raw,0
ppa__http_espn.pcapng conv,tcp
ppa__http_espn.pcapng endpoints,tcp
ppa__http_ip4and6.pcapng conv,ipv6
ppa__http_ip4and6.pcapng endpoints,ipv6
suricata__bug-7657-01.pcap conv,tcp
suricata__bug-7657-01.pcap endpoints,tcp
pcapplusplus__pcapng-example.pcapng conv,udp
pcapplusplus__pcapng-example.pcapng conv,ipv6
pcapplusplus__pcapng-example.pcapng endpoints,udp
pcapplusplus__pcapng-example.pcapng conv,eth
tcpdump__dns_udp.pcap conv,udp
tcpdump__dns_udp.pcap endpoints,udp
pcapplusplus__tcp-reassembly.pcap follow,tcp,ascii,0
suricata__tcp-simple-gap2.pcap follow,tcp,ascii,0
suricata__tcp-simple-gap2.pcap follow,tcp,hex,0
suricata__tls-subjectaltname.pcap follow,tcp,raw,1
pcapplusplus__four_ipv6_http_streams.pcap follow,tcp,raw,1
tcpdump__tcp_rst_data-trunc.pcap follow,tcp,ascii,0
ppa__tcp_retransmissions.pcapng expert
pcapplusplus__tcp-malformed.pcap expert
tcpdump__ipv4_invalid_hdr_length.pcap expert
ppa__http_google.pcapng io,phs
ppa__http_espn.pcapng io,phs
tcpdump__dns_udp.pcap io,phs
pcapplusplus__VlanPackets.pcap io,phs
pcapngtg__be_test009.pcapng io,phs
ppa__http_espn.pcapng http,tree
suricata__tls-subjectaltname.pcap http,tree
zeek__payload-syn.pcap http,tree
tcpdump__dns_udp.pcap http,tree
tcpdump__dns_udp.pcap dns,tree
ppa__dns_axfr.pcapng dns,tree
pcapplusplus__dns_over_tcp.pcapng dns,tree
suricata__tls-subjectaltname.pcap dns,tree
ppa__http_espn.pcapng io,stat,1
ppa__http_espn.pcapng io,stat,0
ppa__http_espn.pcapng io,stat,0.5,tcp,http
ppa__http_google.pcapng io,stat,0.01
zeek__206_example_b.pcap io,stat,5
ppa__http_google.pcapng io,phs
ppa__http_espn.pcapng io,phs
tcpdump__dns_udp.pcap io,phs
pcapplusplus__VlanPackets.pcap io,phs
pcapngtg__be_test009.pcapng io,phs
ppa__http_espn.pcapng http,tree
suricata__tls-subjectaltname.pcap http,tree
zeek__payload-syn.pcap http,tree
tcpdump__dns_udp.pcap http,tree
tcpdump__dns_udp.pcap dns,tree
ppa__dns_axfr.pcapng dns,tree
pcapplusplus__dns_over_tcp.pcapng dns,tree
suricata__tls-subjectaltname.pcap dns,tree
ppa__http_espn.pcapng io,stat,1
ppa__http_espn.pcapng io,stat,0
ppa__http_espn.pcapng io,stat,0.5,tcp,http
ppa__http_google.pcapng io,stat,0.01
zeek__206_example_b.pcap io,stat,5
LIST
