// The packet list: one virtualized row per shown packet (only the rows on screen exist in the
// DOM and only they are fetched from the worker), sortable headers, Wireshark's colouring, and
// keyboard navigation (arrows, Page Up/Down, Home/End).

import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ColumnKey, Row } from '../protocol.js';
import { COLOURING_RULES } from '../colouring.js';

export const COLUMNS: { key: ColumnKey; title: string }[] = [
  { key: 'no', title: 'No.' },
  { key: 'time', title: 'Time' },
  { key: 'source', title: 'Source' },
  { key: 'destination', title: 'Destination' },
  { key: 'protocol', title: 'Protocol' },
  { key: 'length', title: 'Length' },
  { key: 'info', title: 'Info' },
];

const ROW_HEIGHT = 20;

export interface SortState {
  column: ColumnKey;
  ascending: boolean;
}

interface Props {
  shown: number;
  getRow(position: number): Row | undefined;
  /** Asks for the rows around a position ahead of need (scrolling shows no empty rows then). */
  prefetch(position: number): void;
  loadRow(position: number): Promise<Row | undefined>;
  selectedNumber: number | null;
  selectedPosition: number | null;
  /** Set (with a new `seq`) to scroll a position into view. */
  scrollTo: { position: number; seq: number } | null;
  onSelect(row: Row, position: number): void;
  sort: SortState | null;
  onSort(column: ColumnKey): void;
  dark: boolean;
}

function cellText(row: Row, key: ColumnKey): string {
  switch (key) {
    case 'no':
      return String(row.number);
    case 'length':
      return String(row.length);
    default:
      return row[key];
  }
}

export function PacketList(props: Props) {
  const { shown, getRow, selectedNumber, selectedPosition, scrollTo, onSelect, sort, onSort, dark } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: shown,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  useEffect(() => {
    if (scrollTo && scrollTo.position >= 0) virtualizer.scrollToIndex(scrollTo.position, { align: 'auto' });
  }, [scrollTo, virtualizer]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (shown === 0) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const from = selectedPosition ?? -1;
    let to: number;
    switch (e.key) {
      case 'ArrowDown':
        to = from + 1;
        break;
      case 'ArrowUp':
        to = from - 1;
        break;
      case 'PageDown':
        to = from + page;
        break;
      case 'PageUp':
        to = from - page;
        break;
      case 'Home':
        to = 0;
        break;
      case 'End':
        to = shown - 1;
        break;
      default:
        return;
    }
    e.preventDefault();
    to = Math.max(0, Math.min(shown - 1, to));
    virtualizer.scrollToIndex(to, { align: 'auto' });
    void props.loadRow(to).then((row) => {
      if (row) onSelect(row, to);
    });
  };

  const items = virtualizer.getVirtualItems();
  const firstShown = items.length ? items[0].index : 0;
  const lastShown = items.length ? items[items.length - 1].index : 0;
  const { prefetch } = props;
  useEffect(() => {
    if (shown === 0) return;
    prefetch(Math.max(0, firstShown - 100));
    prefetch(Math.min(shown - 1, lastShown + 100));
  }, [firstShown, lastShown, shown, prefetch]);
  return (
    <div className="packet-list-pane">
      <div className="packet-header" role="row">
        {COLUMNS.map((c) => (
          <button
            key={c.key}
            type="button"
            className={`cell col-${c.key}`}
            data-sort-column={c.key}
            aria-sort={sort?.column === c.key ? (sort.ascending ? 'ascending' : 'descending') : 'none'}
            onClick={() => onSort(c.key)}
          >
            {c.title}
            {sort?.column === c.key ? (sort.ascending ? ' ▲' : ' ▼') : ''}
          </button>
        ))}
      </div>
      <div
        className="packet-list"
        data-testid="packet-list"
        ref={scrollRef}
        tabIndex={0}
        role="grid"
        aria-rowcount={shown}
        onKeyDown={onKeyDown}
      >
        <div className="packet-list-spacer" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = getRow(item.index);
            const style = { transform: `translateY(${item.start}px)`, height: ROW_HEIGHT };
            if (row === undefined) return <div key={item.key} className="packet-row placeholder" style={style} />;
            const selected = row.number === selectedNumber;
            const rule = COLOURING_RULES[row.colour];
            const colours =
              rule && !selected
                ? { background: dark ? rule.darkBg : rule.bg, color: dark ? rule.darkFg : rule.fg }
                : {};
            return (
              <div
                key={item.key}
                className={selected ? 'packet-row selected' : 'packet-row'}
                data-testid="packet-row"
                data-number={row.number}
                data-rule={rule ? rule.name : ''}
                aria-selected={selected}
                role="row"
                style={{ ...style, ...colours }}
                onClick={() => onSelect(row, item.index)}
              >
                {COLUMNS.map((c) => (
                  <span key={c.key} className={`cell col-${c.key}`} data-col={c.key}>
                    {cellText(row, c.key)}
                  </span>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
