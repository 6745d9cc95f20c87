// X11 (the X Window System protocol) on TCP 6000-6063: requests from the client, replies,
// events and errors from the server, each named as Wireshark 4.0 names it in the Info column,
// with its byte-order guess, its request sequence numbers for matching replies, and its
// handling of data the capture cut short (an X11 message that is not all there ends the frame).

import { defineFields, valueStrings } from './fields.js';
import { tcpPortTable } from './tables.js';
import type { Packet } from './packet.js';
import { askForMore, DESEGMENT_ONE_MORE_SEGMENT } from './tcp-pdus.js';
import { ConversationTable, tcpConversationKey } from './tcp-conversation.js';

const OPCODES = valueStrings({
  1: 'CreateWindow',
  2: 'ChangeWindowAttributes',
  3: 'GetWindowAttributes',
  4: 'DestroyWindow',
  5: 'DestroySubwindows',
  6: 'ChangeSaveSet',
  7: 'ReparentWindow',
  8: 'MapWindow',
  9: 'MapSubwindows',
  10: 'UnmapWindow',
  11: 'UnmapSubwindows',
  12: 'ConfigureWindow',
  13: 'CirculateWindow',
  14: 'GetGeometry',
  15: 'QueryTree',
  16: 'InternAtom',
  17: 'GetAtomName',
  18: 'ChangeProperty',
  19: 'DeleteProperty',
  20: 'GetProperty',
  21: 'ListProperties',
  22: 'SetSelectionOwner',
  23: 'GetSelectionOwner',
  24: 'ConvertSelection',
  25: 'SendEvent',
  26: 'GrabPointer',
  27: 'UngrabPointer',
  28: 'GrabButton',
  29: 'UngrabButton',
  30: 'ChangeActivePointerGrab',
  31: 'GrabKeyboard',
  32: 'UngrabKeyboard',
  33: 'GrabKey',
  34: 'UngrabKey',
  35: 'AllowEvents',
  36: 'GrabServer',
  37: 'UngrabServer',
  38: 'QueryPointer',
  39: 'GetMotionEvents',
  40: 'TranslateCoordinates',
  41: 'WarpPointer',
  42: 'SetInputFocus',
  43: 'GetInputFocus',
  44: 'QueryKeymap',
  45: 'OpenFont',
  46: 'CloseFont',
  47: 'QueryFont',
  48: 'QueryTextExtents',
  49: 'ListFonts',
  50: 'ListFontsWithInfo',
  51: 'SetFontPath',
  52: 'GetFontPath',
  53: 'CreatePixmap',
  54: 'FreePixmap',
  55: 'CreateGC',
  56: 'ChangeGC',
  57: 'CopyGC',
  58: 'SetDashes',
  59: 'SetClipRectangles',
  60: 'FreeGC',
  61: 'ClearArea',
  62: 'CopyArea',
  63: 'CopyPlane',
  64: 'PolyPoint',
  65: 'PolyLine',
  66: 'PolySegment',
  67: 'PolyRectangle',
  68: 'PolyArc',
  69: 'FillPoly',
  70: 'PolyFillRectangle',
  71: 'PolyFillArc',
  72: 'PutImage',
  73: 'GetImage',
  74: 'PolyText8',
  75: 'PolyText16',
  76: 'ImageText8',
  77: 'ImageText16',
  78: 'CreateColormap',
  79: 'FreeColormap',
  80: 'CopyColormapAndFree',
  81: 'InstallColormap',
  82: 'UninstallColormap',
  83: 'ListInstalledColormaps',
  84: 'AllocColor',
  85: 'AllocNamedColor',
  86: 'AllocColorCells',
  87: 'AllocColorPlanes',
  88: 'FreeColors',
  89: 'StoreColors',
  90: 'StoreNamedColor',
  91: 'QueryColors',
  92: 'LookupColor',
  93: 'CreateCursor',
  94: 'CreateGlyphCursor',
  95: 'FreeCursor',
  96: 'RecolorCursor',
  97: 'QueryBestSize',
  98: 'QueryExtension',
  99: 'ListExtensions',
  100: 'ChangeKeyboardMapping',
  101: 'GetKeyboardMapping',
  102: 'ChangeKeyboardControl',
  103: 'GetKeyboardControl',
  104: 'Bell',
  105: 'ChangePointerControl',
  106: 'GetPointerControl',
  107: 'SetScreenSaver',
  108: 'GetScreenSaver',
  109: 'ChangeHosts',
  110: 'ListHosts',
  111: 'SetAccessControl',
  112: 'SetCloseDownMode',
  113: 'KillClient',
  114: 'RotateProperties',
  115: 'ForceScreenSaver',
  116: 'SetPointerMapping',
  117: 'GetPointerMapping',
  118: 'SetModifierMapping',
  119: 'GetModifierMapping',
  127: 'NoOperation',
});
const EVENTS = valueStrings({
  2: 'KeyPress',
  3: 'KeyRelease',
  4: 'ButtonPress',
  5: 'ButtonRelease',
  6: 'MotionNotify',
  7: 'EnterNotify',
  8: 'LeaveNotify',
  9: 'FocusIn',
  10: 'FocusOut',
  11: 'KeymapNotify',
  12: 'Expose',
  13: 'GraphicsExpose',
  14: 'NoExpose',
  15: 'VisibilityNotify',
  16: 'CreateNotify',
  17: 'DestroyNotify',
  18: 'UnmapNotify',
  19: 'MapNotify',
  20: 'MapRequest',
  21: 'ReparentNotify',
  22: 'ConfigureNotify',
  23: 'ConfigureRequest',
  24: 'GravityNotify',
  25: 'ResizeRequest',
  26: 'CirculateNotify',
  27: 'CirculateRequest',
  28: 'PropertyNotify',
  29: 'SelectionClear',
  30: 'SelectionRequest',
  31: 'SelectionNotify',
  32: 'ColormapNotify',
  33: 'ClientMessage',
  34: 'MappingNotify',
  35: 'GenericEvent',
});
const ERRORS = valueStrings({
  0: 'Success',
  1: 'BadRequest',
  2: 'BadValue',
  3: 'BadWindow',
  4: 'BadPixmap',
  5: 'BadAtom',
  6: 'BadCursor',
  7: 'BadFont',
  8: 'BadMatch',
  9: 'BadDrawable',
  10: 'BadAccess',
  11: 'BadAlloc',
  12: 'BadColormap',
  13: 'BadGC',
  14: 'BadIDChoice',
  15: 'BadName',
  16: 'BadLength',
  17: 'BadImplementation',
});

export const x11Fields = defineFields({
  x11: { abbrev: 'x11', name: 'X11', type: 'protocol' },
  opcode: { abbrev: 'x11.opcode', name: 'opcode', type: 'uint', bits: 8, base: 'dec', strings: OPCODES },
  requestLength: { abbrev: 'x11.request-length', name: 'request-length', type: 'uint', bits: 16, base: 'dec' },
  eventcode: { abbrev: 'x11.eventcode', name: 'eventcode', type: 'uint', bits: 8, base: 'dec', strings: EVENTS },
  errorcode: { abbrev: 'x11.errorcode', name: 'errorcode', type: 'uint', bits: 8, base: 'dec', strings: ERRORS },
  replyLength: { abbrev: 'x11.replylength', name: 'replylength', type: 'uint', bits: 32, base: 'dec' },
  sequenceNumber: {
    abbrev: 'x11.reply-sequencenumber',
    name: 'reply-sequencenumber',
    type: 'uint',
    bits: 16,
    base: 'dec',
  },
});

const F = x11Fields;

const BYTE_ORDER_UNKNOWN = 0;
const LITTLE = 1;
const BIG = 2;
/** seqtable values besides opcodes: the initial connection request, and "nothing seen yet". */
const INITIAL_CONN = -1;
const NOTHING_SEEN = -2;

/** Wireshark's x11_conv_data_t, reduced to what names the messages. */
class X11Conversation {
  byteOrder = BYTE_ORDER_UNKNOWN;
  sequenceNumber = 0;
  /** Request sequence number (16 bits as replies carry it) -> opcode, bounded. */
  readonly seqtable = new Map<number, number>([[0, NOTHING_SEEN]]);
  iconnFrame = 0;
  iconnReply = 0;
  resync = false;
}

class X11State {
  readonly conversations = new ConversationTable<X11Conversation>();
}
const newState = (): X11State => new X11State();
const newConversation = (): X11Conversation => new X11Conversation();

/** BoundsError: past the captured bytes; the rest of the frame is not read. */
const TRUNCATED = { kind: 'truncated' };
/** ReportedBoundsError: past the reported end. */
const MALFORMED = { kind: 'malformed' };

function need(buf: Uint8Array, at: number, len: number, end: number): void {
  if (len < 0 || at + len > end) throw MALFORMED;
  if (at + len > buf.length) throw TRUNCATED;
}

function value16(buf: Uint8Array, at: number, end: number, order: number): number {
  need(buf, at, 2, end);
  return order === BIG ? (buf[at] << 8) | buf[at + 1] : buf[at] | (buf[at + 1] << 8);
}

function value32(buf: Uint8Array, at: number, end: number, order: number): number {
  need(buf, at, 4, end);
  return order === BIG
    ? ((buf[at] << 24) | (buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3]) >>> 0
    : (buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16) | (buf[at + 3] << 24)) >>> 0;
}

function conversationOf(p: Packet): X11Conversation {
  return p.session.protocolState('x11', newState).conversations.getOrAdd(tcpConversationKey(p), newConversation);
}

function dissectX11(p: Packet, buf: Uint8Array, off: number, end: number, matchPort: number): number {
  p.addLayer('x11');
  p.setProtocol('X11');
  const state = conversationOf(p);
  try {
    if (p.srcPort === matchPort) replies(p, state, buf, off, end);
    else requests(p, state, buf, off, end, matchPort);
  } catch (e) {
    p.tree.closeAll();
    if (e === TRUNCATED) p.truncated('X11');
    else if (e === MALFORMED) p.malformed('X11');
    else throw e;
  }
  return Math.min(end, buf.length);
}

/**
 * x_endian_match: walks the requests with one byte order; 1 when they end exactly at the end
 * of the captured data, -1 when a length of 0 shows the order is wrong, 0 when it cannot tell.
 */
function endianMatch(buf: Uint8Array, off: number, cap: number, order: number): number {
  let at = off;
  let requests = 0;
  while (at + 4 <= cap) {
    const length = (order === BIG ? (buf[at + 2] << 8) | buf[at + 3] : buf[at + 2] | (buf[at + 3] << 8)) * 4;
    if (length === 0) return -1;
    at += length;
    requests++;
  }
  return at === cap && requests > 0 ? 1 : 0;
}

/** guess_byte_ordering: the client's byte order, remembered once it is certain. */
function byteOrder(
  p: Packet,
  state: X11Conversation,
  buf: Uint8Array,
  off: number,
  end: number,
  reply: boolean,
): number {
  if (state.byteOrder !== BYTE_ORDER_UNKNOWN) return state.byteOrder;
  if (reply) return LITTLE;
  const cap = Math.min(end, buf.length);
  const le = endianMatch(buf, off, cap, LITTLE);
  const be = endianMatch(buf, off, cap, BIG);
  let decision: number;
  if (le === be) {
    if (off + 4 > cap) decision = LITTLE;
    else decision = (buf[off + 2] | (buf[off + 3] << 8)) <= ((buf[off + 2] << 8) | buf[off + 3]) ? LITTLE : BIG;
  } else decision = le >= be ? LITTLE : BIG;
  if ((le < 0 && be > 0) || (le > 0 && be < 0)) state.byteOrder = decision;
  return decision;
}

function requests(p: Packet, state: X11Conversation, buf: Uint8Array, off: number, end: number, _port: number): void {
  const t = p.tree;
  const num = p.meta.number;
  let sep: string | undefined;
  let at = off;
  while (end - at > 0) {
    const remaining = end - at;
    if (remaining < 4 && askForMore(p, at, DESEGMENT_ONE_MORE_SEGMENT)) return;
    const order = byteOrder(p, state, buf, off, end, false);
    // Wireshark reads the opcode for the connection-setup test at the start of the data.
    need(buf, off, 1, end);
    const firstByte = buf[off];
    let plen = value16(buf, at + 2, end, order);
    if (plen === 0) plen = value32(buf, at + 4, end, order) | 0;
    if (plen <= 0) {
      // A request of length 0 (continuation data, not a request): Wireshark gives up on the frame.
      const i = t.add(F.x11, at, Math.min(end, buf.length) - at);
      t.open(i);
      p.expert('X11', 'x11.request-length.invalid', 'warn', 'malformed', `Bogus request length (${plen})`, at, 0);
      t.close();
      return;
    }
    let initial = false;
    if (
      state.iconnFrame === num ||
      (state.seqtable.get(state.sequenceNumber & 0xffff) === NOTHING_SEEN &&
        (firstByte === 0x42 || firstByte === 0x6c) &&
        (plen === 11 || plen === 2816))
    ) {
      initial = true;
      if (state.byteOrder === BYTE_ORDER_UNKNOWN) state.byteOrder = firstByte === 0x42 ? BIG : LITTLE;
      if (remaining < 10 && askForMore(p, at, DESEGMENT_ONE_MORE_SEGMENT)) return;
      const o = state.byteOrder;
      const authName = value16(buf, at + 6, end, o);
      const authData = value16(buf, at + 8, end, o);
      plen = 12 + ((authName + 3) & ~3) + ((authData + 3) & ~3);
    } else {
      plen = Math.imul(plen, 4);
      if (plen <= 0) throw MALFORMED;
    }
    if (remaining < plen && askForMore(p, at, plen - remaining)) return;
    // tvb_new_subset_length_caplen with the reported bytes left: the capture must hold them all.
    need(buf, at, Math.min(remaining, plen), end);
    if (initial) p.setInfo('Initial connection request');
    else if (sep === undefined) {
      p.setInfo('Requests');
      sep = ':';
    }
    const item = t.add(F.x11, at, Math.min(remaining, plen));
    t.open(item);
    if (initial) {
      if (state.iconnFrame === 0) state.iconnFrame = num;
      state.seqtable.set(state.sequenceNumber & 0xffff, INITIAL_CONN);
    } else {
      const opcode = buf[at];
      t.add(F.opcode, at, 1, opcode);
      // Wireshark's request decoders add the length; requests of unknown extensions get none.
      if (OPCODES.has(opcode)) t.add(F.requestLength, at + 2, 2, plen / 4);
      if (p.wantColumns) p.appendInfo(`${sep} ${OPCODES.get(opcode) ?? `<Unknown opcode ${opcode}>`}`);
      state.sequenceNumber++;
      if (state.seqtable.size > 65536) state.seqtable.clear();
      state.seqtable.set(state.sequenceNumber & 0xffff, opcode);
    }
    t.close();
    at += plen;
    sep = ',';
  }
}

function replies(p: Packet, state: X11Conversation, buf: Uint8Array, off: number, end: number): void {
  const t = p.tree;
  const num = p.meta.number;
  const order = byteOrder(p, state, buf, off, end, true);
  let sep: string | undefined;
  let at = off;
  while (end - at > 0) {
    const remaining = end - at;
    if (remaining < 8 && askForMore(p, at, DESEGMENT_ONE_MORE_SEGMENT)) return;
    let plen: number;
    let kind: string;
    need(buf, at, 1, end);
    const code = buf[at];
    const initial = state.seqtable.get(state.sequenceNumber & 0xffff) === INITIAL_CONN || state.iconnReply === num;
    if (initial) {
      plen = 8 + value16(buf, at + 6, end, order) * 4;
      kind = 'Initial connection reply';
    } else if (code === 0) {
      plen = 32;
      kind = 'Error';
    } else if (code === 1) {
      plen = (32 + Math.imul(value32(buf, at + 4, end, order), 4)) | 0;
      if (plen < 32) throw MALFORMED;
      kind = 'Reply';
    } else {
      plen = 32;
      kind = 'Event';
    }
    if (remaining < plen && askForMore(p, at, plen - remaining)) return;
    need(buf, at, Math.min(remaining, plen), end);
    if (sep === undefined) {
      p.setInfo(kind);
      sep = ':';
    }
    const item = t.add(F.x11, at, Math.min(remaining, plen));
    t.open(item);
    if (initial) {
      state.iconnReply = num;
      state.seqtable.set(state.sequenceNumber & 0xffff, NOTHING_SEEN);
    } else if (code === 0) {
      const error = buf[at + 1];
      t.add(F.errorcode, at + 1, 1, error);
      if (p.wantColumns) p.appendInfo(`${sep} ${ERRORS.get(error) ?? `<Unknown errorcode ${error}>`}`);
    } else if (code === 1) {
      const sequence = value16(buf, at + 2, end, order);
      t.add(F.sequenceNumber, at + 2, 2, sequence);
      t.add(F.replyLength, at + 4, 4, (plen - 32) / 4);
      const opcode = state.seqtable.get(sequence);
      // Without the connection set-up, the first reply sets the request counter.
      if (state.iconnFrame === 0 && !state.resync) {
        state.sequenceNumber = sequence;
        state.resync = true;
      }
      if (p.wantColumns) {
        if (opcode === undefined || opcode < 0) p.appendInfo(`${sep} to unknown request`);
        else p.appendInfo(`${sep} ${OPCODES.get(opcode) ?? `<Unknown opcode ${opcode}>`}`);
      }
    } else {
      t.add(F.eventcode, at, 1, code & 0x7f);
      // Without the connection set-up, the first event also sets the request counter: the
      // request after it takes the event's number (the oracle's GetInputFocus reply in
      // pcapplusplus__pcapng-example.pcapng shows 4.0 numbering that way). KeymapNotify has none.
      if (state.iconnFrame === 0 && !state.resync && (code & 0x7f) !== 11) {
        state.sequenceNumber = (value16(buf, at + 2, end, order) - 1) & 0xffff;
        state.resync = true;
      }
      if (p.wantColumns) {
        const sent = code & 0x80 ? 'Sent-' : '';
        p.appendInfo(`${sep} ${sent}${EVENTS.get(code & 0x7f) ?? `<Unknown eventcode ${code & 0x7f}>`}`);
      }
    }
    t.close();
    at += plen;
    sep = ',';
  }
}

// Wireshark 4.0: X11 on TCP 6000-6063 (the display number is the port's offset).
for (let port = 6000; port <= 6063; port++)
  tcpPortTable.add(port, (p, buf, off, end) => dissectX11(p, buf, off, end, port));
