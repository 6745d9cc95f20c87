// The dissection engine: the registration of every protocol (one import line each) and the
// object that turns a captured frame into a protocol tree, columns and frame.protocols.

// Link layers
import './ethernet.js';
import './vlan.js';
import './sll.js';
import './sll2.js';
import './null.js';
import './raw.js';
import './ppp.js';
import './arp.js';
import './pppoe.js';
// Network layers
import './ipv4.js';
import './ipv6.js';
import './icmp.js';
import './icmpv6.js';
// Transport layers
import './udp.js';
import './tcp.js';
// Application protocols
import './dns.js';
import './tls.js';
import './ssh.js';
import './pptp.js';
import './bgp.js';
import './mqtt.js';
import './resp.js';
import './rsh.js';
import './mysql.js';
import './rpkirtr.js';
import './irc.js';
import './x11.js';
import './dhcp.js';
import './nbns.js';
import './ntp.js';
import './nbdgm.js';
import './smb.js';
import './mailslot.js';
import './browser.js';
import './cdp.js';
import './gquic.js';
import './db-lsp-disc.js';
import './pcapng-custom.js';
import './bjnp.js';
import './gre.js';
import './lcp.js';
import './dbus.js';
import './sflow.js';
import './http.js';
import './media.js';
import './data-text-lines.js';
import './json.js';
import './xml.js';
import './image-jfif.js';
import './png.js';
import './image-gif.js';
import './urlencoded-form.js';
import './websocket.js';
import './multipart.js';
// Analysis that plugs into the dissectors (TCP streams, sequence analysis)
import '../analysis/tcp.js';

import type { CaptureFrame } from '../capture/frame.js';
import { dissectFrame } from './frame.js';
import { Packet } from './packet.js';
import { Session } from './session.js';
import { fieldCount } from './fields.js';

export interface DissectOptions {
  /** Build the whole tree with labels (details pane, -V, JSON). */
  full?: boolean;
  /** Field ids to keep when not full. */
  wanted?: Iterable<number>;
  /** Run the TCP stream analysis (default true; see analysis/tcp-needs.ts for when it can be skipped). */
  tcpAnalysis?: boolean;
  /** Build the Protocol, Info, Source and Destination columns. */
  columns?: boolean;
  /** Hand TCP and UDP payload on to the protocols above (default true; see payload-needs.ts). */
  payloads?: boolean;
}

export class Dissection {
  readonly session = new Session();
  readonly packet = new Packet(this.session);
  /**
   * Number of the last frame dissected (the next gets one more). A consumer that replays a subset
   * of a capture (the web UI re-dissecting one TCP stream) sets it so frames keep their numbers.
   */
  frameNumber = 0;
  /**
   * Whether the consumer says which frames are displayed (a display filter: call displayed() for
   * each frame shown); otherwise every frame is, and each one's time becomes the previous
   * displayed frame's time for frame.time_delta_displayed.
   */
  deferDisplayed = false;

  constructor(options: DissectOptions = {}) {
    this.configure(options);
  }

  /** Changes what is kept from the next frame on (e.g. full tree for one selected packet). */
  configure(options: DissectOptions): void {
    const t = this.packet.tree;
    t.full = options.full ?? false;
    const wanted = new Uint8Array(fieldCount());
    for (const id of options.wanted ?? []) wanted[id] = 1;
    t.wanted = wanted;
    this.packet.tcpAnalysis = options.tcpAnalysis ?? true;
    this.packet.wantColumns = options.columns ?? true;
    this.packet.payloads = options.payloads ?? true;
  }

  /** Dissects the next frame of the capture; the returned Packet is reused by the next call. */
  dissect(frame: CaptureFrame): Packet {
    const p = this.packet;
    const m = p.meta;
    m.number = ++this.frameNumber;
    m.tsSec = frame.tsSec;
    m.tsNsec = frame.tsNsec;
    m.capLen = frame.capLen;
    m.origLen = frame.origLen;
    m.linkType = frame.linkType;
    m.interfaceId = frame.interfaceId;
    m.comments = frame.comments;
    m.hasTimestamp = frame.hasTimestamp !== false;
    m.section = frame.section ?? 0;
    // pcapng packet records name their interface; pcap records and custom blocks do not.
    m.hasInterface = frame.section !== undefined && frame.linkType >= 0;
    m.interfaceName = frame.interfaceName;
    m.packetFlags = frame.packetFlags;
    m.dropCount = frame.dropCount;
    m.custom = frame.custom;
    p.begin(frame.data);
    try {
      dissectFrame(p);
    } catch (err) {
      // A dissector bug must not stop the capture: show it on the frame like a malformed layer.
      p.tree.closeAll();
      p.malformed(p.layerCount ? p.layers[p.layerCount - 1] : 'frame', `Dissector error: ${String(err)}`);
    }
    if (!this.deferDisplayed) this.displayed(p);
    return p;
  }

  /** Records that packet `p` (just dissected) is displayed: the next frames' delta counts from it. */
  displayed(p: Packet): void {
    const m = p.meta;
    if (!m.hasTimestamp) return;
    this.session.prevDisplayedSec = m.tsSec;
    this.session.prevDisplayedNsec = m.tsNsec;
  }
}

export { Packet } from './packet.js';
export { Session } from './session.js';
