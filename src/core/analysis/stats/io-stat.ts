// `-z io,stat,INTERVAL[,filter][,filter...]`: tshark 4.0's IO statistics (ui/cli/tap-iostat.c),
// frames and bytes per time interval, one column per filter (an empty filter counts every frame),
// in its box layout: widths from the largest counts, the interval precision from the digits the
// interval was given with, "Dur" closing the last whole-second interval, and interval 0 meaning
// the whole capture.

import { fieldById } from '../../dissect/fields.js';
import type { Packet } from '../../dissect/packet.js';
import type { DisplayFilter } from '../../filter/index.js';
import type { Statistic } from './statistic.js';

/** One column: its filter text ('' for none) and the frames and bytes per interval (sparse). */
interface Column {
  text: string;
  filter: DisplayFilter | undefined;
  frames: Map<number, number>;
  bytes: Map<number, number>;
}

/**
 * tshark prints every interval of the capture, empty or not; a capture spanning months at a
 * 1-second interval would be tens of millions of lines. synack stops after this many rows and
 * says how many it left out.
 */
export const MAX_ROWS = 1_000_000;

const WHOLE_CAPTURE = Number.MAX_SAFE_INTEGER;

/** Decimal digits of `value`, at least 1, at most `max` (tap-iostat.c's magnitude()). */
function magnitude(value: number, max: number): number {
  let mag = 0;
  for (let i = 0; i < max; i++) {
    mag++;
    value = Math.floor(value / 10);
    if (value === 0) break;
  }
  return mag;
}

function spaces(n: number): string {
  return n > 0 ? ' '.repeat(n) : '';
}

function zeroPad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** printcenter(): a header label centred in a column of `width` characters. */
function centered(label: string, width: number): string {
  const len = 6 - (Math.trunc((width - label.length) / 2) + 1);
  if (len > 0 && len < 6) {
    const pad = ' '.repeat(6 - len);
    return (width - label.length) % 2 === 0 ? `${pad}${label}${pad}|` : ` ${pad}${label}${pad}|`;
  }
  if (len > 0 && len <= 15) return `${label}|`;
  return '';
}

export class IoStat implements Statistic {
  /** Interval in microseconds, or WHOLE_CAPTURE. */
  private readonly interval: number;
  /** Decimal places the interval was given with (from its microseconds' trailing zeros). */
  private readonly precision: number;
  private readonly columns: Column[];
  /** Largest time since the first frame, in seconds and nanoseconds (cfile.elapsed_time). */
  private elapsedSec = 0;
  private elapsedNsec = 0;

  /** `seconds`: the interval (0 for the whole capture); `filters`: one per column. */
  constructor(seconds: number, filters: readonly { text: string; filter: DisplayFilter | undefined }[]) {
    if (seconds === 0) {
      this.interval = WHOLE_CAPTURE;
      this.precision = 0;
    } else {
      this.interval = Math.floor(seconds * 1e6 + 0.5);
      let precision = 6;
      for (let i = 10; i < 10000000; i *= 10) {
        if (this.interval % i > 0) break;
        precision--;
      }
      this.precision = precision;
    }
    this.columns = (filters.length ? filters : [{ text: '', filter: undefined }]).map((f) => ({
      ...f,
      frames: new Map<number, number>(),
      bytes: new Map<number, number>(),
    }));
  }

  fields(): string[] {
    const names: string[] = [];
    for (const c of this.columns) for (const id of c.filter?.fieldIds ?? []) names.push(fieldById(id).abbrev);
    return names;
  }

  add(p: Packet, firstTime: readonly [number, number]): void {
    let sec = p.meta.tsSec - firstTime[0];
    let nsec = p.meta.tsNsec - firstTime[1];
    if (sec > 0 && nsec < 0) {
      sec--;
      nsec += 1e9;
    } else if (sec < 0 && nsec > 0) {
      sec++;
      nsec -= 1e9;
    }
    if (sec > this.elapsedSec || (sec === this.elapsedSec && nsec > this.elapsedNsec)) {
      this.elapsedSec = sec;
      this.elapsedNsec = nsec;
    }
    const micros = sec * 1e6 + Math.trunc((nsec + 500) / 1000);
    const slot = this.interval === WHOLE_CAPTURE ? 0 : Math.floor(micros / this.interval);
    if (slot < 0) return;
    for (const c of this.columns) {
      if (c.filter && !c.filter.matches(p)) continue;
      c.frames.set(slot, (c.frames.get(slot) ?? 0) + 1);
      c.bytes.set(slot, (c.bytes.get(slot) ?? 0) + p.meta.origLen);
    }
  }

  text(): string {
    let duration = this.elapsedSec * 1e6 + Math.trunc((this.elapsedNsec + 500) / 1000);
    let interval = this.interval;
    let whole = this.interval === WHOLE_CAPTURE;
    if (interval > duration) {
      interval = duration;
      whole = true;
    }
    let durSecs = Math.floor(duration / 1e6);
    let durMag = magnitude(durSecs, 5);
    const invlMag = magnitude(Math.floor(interval / 1e6), 5);
    let precision: number;
    let border: number;
    if (interval === duration) {
      precision = durMag >= 2 ? 1 : durMag === 1 ? 3 : 6;
      border = 30 + durMag + (precision + 1);
    } else {
      precision = this.precision;
      border = 25 + Math.max(invlMag, durMag) + (precision === 0 ? 0 : precision + 1);
    }
    let dv = 1000000;
    for (let i = 0; i < precision; i++) dv = Math.floor(dv / 10);
    // The duration is rounded to the precision shown.
    if (duration % dv > 5 * Math.floor(dv / 10)) {
      duration += 5 * Math.floor(dv / 10);
      duration = Math.floor(duration / dv) * dv;
      durSecs = Math.floor(duration / 1e6);
      durMag = magnitude(durSecs, 5);
    }
    if (whole) interval = duration;

    const invlColumn = Math.max(precision === 0 ? 2 * durMag + 8 : 2 * durMag + 2 * precision + 10, 12);
    const rows =
      interval === 0 || duration === 0 ? 0 : Math.floor(duration / interval) + (duration % interval > 0 ? 1 : 0);
    // Column widths from the largest counts in the rows shown.
    const widths = this.columns.map((c) => {
      let frames = 0;
      let bytes = 0;
      for (const n of c.frames.values()) frames = Math.max(frames, n);
      for (const n of c.bytes.values()) bytes = Math.max(bytes, n);
      return { fr: Math.max(6, magnitude(frames, 15)), val: Math.max(5, magnitude(bytes, 15)) };
    });
    let tableWidth = invlColumn;
    for (const w of widths) tableWidth += w.fr + 3 + w.val + 3;
    border = Math.max(border, tableWidth);
    let filterWidth = 0;
    for (const c of this.columns) filterWidth = Math.max(filterWidth, c.text ? c.text.length + 11 : 26);
    if (filterWidth > border && border < 102) border = Math.min(filterWidth, 102);
    // Prevent a double right border.
    if (border - tableWidth === 1) border++;

    // The right border goes where the format's widths put it, even when a number is wider.
    const line = (text: string, width = text.length): string => `${text}${spaces(border - width - 1)}|\n`;
    const timeText = (micros: number, width: number): string =>
      precision === 0
        ? String(Math.floor(micros / 1e6)).padStart(width)
        : `${String(Math.floor(micros / 1e6)).padStart(width)}.${zeroPad(Math.floor((micros % 1e6) / dv), precision)}`;

    let s = `\n${'='.repeat(border)}\n`;
    s += line('| IO Statistics');
    s += line('|');
    const elapsedMicros = Math.trunc(this.elapsedNsec / 1000);
    // 4.0 prints a whole-second duration's fraction with "%6u" (spaces, not zeros).
    const durationText =
      precision === 0
        ? `${String(this.elapsedSec).padStart(durMag)}.${String(elapsedMicros).padStart(6)}`
        : timeText(duration, durMag);
    const timeWidth = durMag + (precision === 0 ? 0 : precision + 1);
    s += line(`| Duration: ${durationText} secs`, 17 + (precision === 0 ? durMag + 7 : timeWidth));
    s += line(`| Interval: ${timeText(interval, durMag)} secs`, 17 + timeWidth);
    s += line('|');
    this.columns.forEach((c, j) => {
      const number = String(j + 1).padStart(2);
      const label = j === 0 ? `| Col${number}: ` : `|    ${number}: `;
      if (!c.text) {
        s += line(`${label}Frames and bytes`);
        return;
      }
      let rest = c.text;
      let prefix = label;
      const max = border - 11;
      while (rest.length + 11 > border && rest.length > max) {
        const chunk = rest.slice(0, max);
        const space = chunk.lastIndexOf(' ');
        const cut = space >= 0 ? space : chunk.length;
        s += line(prefix + chunk.slice(0, cut));
        prefix = '|        ';
        rest = rest.slice(space >= 0 ? cut + 1 : cut);
      }
      s += line(prefix + rest);
    });
    s += `|-${'-'.repeat(border - 3)}|\n`;

    const filler = tableWidth < border ? `${spaces(border - tableWidth - 1)}|` : '';
    s += `|${spaces(invlColumn - 2)}|`;
    widths.forEach((w, j) => (s += `${String(j + 1).padEnd(2)}${spaces(w.fr + w.val + 3)}|`));
    s += filler + '\n';
    s += `| Interval${spaces(invlColumn - 11)}|`;
    for (const w of widths) s += centered('Frames', w.fr) + centered('Bytes', w.val);
    s += filler + '\n';
    s += `|-${'-'.repeat(tableWidth - 3)}|${filler}\n`;

    const shown = Math.min(rows, MAX_ROWS);
    for (let r = 0; r < shown; r++) {
      const last = r === rows - 1;
      const start = r * interval;
      const end = last ? duration : start + interval;
      if (precision === 0) {
        const narrow = durMag === 1;
        if (last) {
          const dur = 'Dur'.padEnd(durMag >= 3 ? durMag + 1 : 3);
          s += `| ${narrow ? ' ' : ''}${timeText(start, durMag)} <> ${dur}|`;
        } else if (narrow) s += `|  ${timeText(start, durMag)} <> ${timeText(end, durMag)}  |`;
        else s += `| ${timeText(start, durMag)} <> ${timeText(end, durMag)} |`;
      } else s += `| ${timeText(start, durMag)} <> ${timeText(end, durMag)} |`;
      this.columns.forEach((c, j) => {
        const frames = String(c.frames.get(r) ?? 0).padStart(widths[j].fr);
        s += ` ${frames} | ${String(c.bytes.get(r) ?? 0).padStart(widths[j].val)} |`;
      });
      s += filler + '\n';
    }
    if (shown < rows) s += `| synack: ${rows - shown} more intervals not shown (tshark prints every one)\n`;
    return s + '='.repeat(border) + '\n';
  }
}
