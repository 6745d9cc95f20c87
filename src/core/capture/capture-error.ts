// The one error a capture reader reports: what went wrong (kind + tshark-style detail), where
// (byte offset, frame number) and, for files that are not captures, what the bytes look like.

export type CaptureErrorKind =
  /** The bytes are not a pcap/pcapng file (see `hint` for what they look like). */
  | 'not-a-capture'
  /** A capture, but a version or feature synack does not read (tshark: "contains record data that TShark doesn't support"). */
  | 'unsupported'
  /** Inconsistent structure (tshark: "appears to be damaged or corrupt"). */
  | 'corrupt'
  /** The data ends in the middle of a record (tshark: "appears to have been cut short in the middle of a packet"). */
  | 'truncated'
  /** The source could not be read at all (missing file, permissions, a directory). */
  | 'unreadable';

export interface CaptureErrorInit {
  kind: CaptureErrorKind;
  /** The specific problem, in tshark's words where tshark has some: "pcap: major version 1 unsupported". */
  detail: string;
  /** Byte offset (in the decompressed data) of the record or field at fault. */
  offset?: number;
  /** Number of the frame being read when the problem was found (frames count from 1). */
  frame?: number;
  /** For not-a-capture: what the bytes look like ("text", "HTML", "an ELF executable" ...). */
  hint?: string;
  /** The file name, when the caller knows it. */
  file?: string;
}

export class CaptureError extends Error {
  readonly kind: CaptureErrorKind;
  readonly detail: string;
  readonly offset?: number;
  readonly frame?: number;
  readonly hint?: string;
  readonly file?: string;

  constructor(init: CaptureErrorInit) {
    super(formatCaptureError(init));
    this.name = 'CaptureError';
    this.kind = init.kind;
    this.detail = init.detail;
    this.offset = init.offset;
    this.frame = init.frame;
    this.hint = init.hint;
    this.file = init.file;
  }

  /** The same error, with the file name in its message. */
  withFile(file: string): CaptureError {
    return new CaptureError({ ...this.init(), file });
  }

  private init(): CaptureErrorInit {
    return { kind: this.kind, detail: this.detail, offset: this.offset, frame: this.frame, hint: this.hint };
  }
}

/** The user-facing text: what happened (tshark's sentence), the detail, where, and what to do. */
export function formatCaptureError(e: CaptureErrorInit): string {
  const subject = e.file === undefined ? 'The capture' : `The file "${e.file}"`;
  const where = placeText(e);
  switch (e.kind) {
    case 'not-a-capture':
      return (
        `${e.file === undefined ? 'The input' : subject} isn't a capture file in a format synack understands` +
        (e.hint ? `: it looks like ${e.hint}` : '') +
        '. synack reads pcap and pcapng files, optionally gzip-compressed.'
      );
    case 'unsupported':
      return `${subject} contains record data that synack doesn't support (${e.detail})${where}.`;
    case 'corrupt':
      return `${subject} appears to be damaged or corrupt (${e.detail})${where}.`;
    case 'truncated':
      return `${subject} appears to have been cut short in the middle of a packet (${e.detail})${where}.`;
    case 'unreadable':
      // The detail of an unreadable file already names it (tshark's sentences).
      return e.detail;
  }
}

function placeText(e: CaptureErrorInit): string {
  const parts: string[] = [];
  if (e.frame !== undefined) parts.push(`frame ${e.frame}`);
  if (e.offset !== undefined) parts.push(`byte offset ${e.offset}`);
  return parts.length ? ` at ${parts.join(', ')}` : '';
}
