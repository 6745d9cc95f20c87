// The analyzer page: toolbar (open, theme), filter bar, the three panes (packet list, details,
// bytes) and the status bar. All capture work happens in the worker; this component keeps what
// is on screen: the rows fetched for the visible window, the selection and its dissection.

import { useCallback, useEffect, useRef, useState } from 'react';
import { CaptureClient } from './capture-client.js';
import type { ColumnKey, DataSourceBytes, Row, TreeItem } from './protocol.js';
import { PacketList, type SortState } from './components/PacketList.js';
import { DetailsPane, expandKey } from './components/DetailsPane.js';
import { BytesPane } from './components/BytesPane.js';
import { FilterBar, loadRecent, rememberFilter } from './components/FilterBar.js';
import { Legend } from './components/Legend.js';

type Theme = 'light' | 'dark';
type PageState = 'empty' | 'loading' | 'ready' | 'filtering' | 'error';

const THEME_KEY = 'synack.theme';
const BLOCK = 128;

interface Capture {
  name: string;
  total: number;
  loadMs: number;
  rules: { index: number; filter: string }[];
  warning?: string;
  indexMs: number;
  memoryBytes: number;
  sharedMemory: boolean;
}

/** Rows fetched for the current view, by block of 128 positions; replaced when the view changes. */
interface RowCache {
  blocks: Map<number, Row[]>;
  pending: Map<number, Promise<Row[]>>;
}

function newCache(): RowCache {
  return { blocks: new Map(), pending: new Map() };
}

function initialTheme(): Theme {
  try {
    const saved = localStorage.getItem(THEME_KEY);
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    // No storage: follow the system.
  }
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function App() {
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const [state, setState] = useState<PageState>('empty');
  const [capture, setCapture] = useState<Capture | null>(null);
  const [progress, setProgress] = useState({ bytes: 0, total: 0, packets: 0 });
  const [error, setError] = useState('');
  const [shown, setShown] = useState(0);
  const [cache, setCache] = useState<RowCache>(newCache);
  const [, setRowsTick] = useState(0);
  const [selected, setSelected] = useState<{ number: number; position: number } | null>(null);
  const [scrollTo, setScrollTo] = useState<{ position: number; seq: number } | null>(null);
  const [items, setItems] = useState<TreeItem[]>([]);
  const [sources, setSources] = useState<DataSourceBytes[]>([]);
  const [selectedItem, setSelectedItem] = useState(-1);
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const [filterText, setFilterText] = useState('');
  const [appliedFilter, setAppliedFilter] = useState('');
  const [filterMs, setFilterMs] = useState<number | null>(null);
  const [recent, setRecent] = useState<string[]>(loadRecent);
  const [sort, setSort] = useState<SortState | null>(null);
  const [dragging, setDragging] = useState(false);
  const [notice, setNotice] = useState('');
  const clientRef = useRef<CaptureClient | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const selectSeq = useRef(0);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    try {
      localStorage.setItem(THEME_KEY, theme);
    } catch {
      // Not remembered then.
    }
  }, [theme]);

  useEffect(() => {
    document.body.dataset.state = state;
  }, [state]);

  const resetView = useCallback(() => {
    setCache(newCache());
    setSelected(null);
    setItems([]);
    setSources([]);
    setSelectedItem(-1);
  }, []);

  useEffect(() => {
    const client = new CaptureClient((m) => {
      if (m.type === 'progress') {
        setProgress({ bytes: m.bytes, total: m.total, packets: m.packets });
      } else if (m.type === 'loaded') {
        setCapture({
          name: m.name,
          total: m.total,
          loadMs: m.loadMs,
          rules: m.rules,
          warning: m.warning,
          indexMs: m.indexMs,
          memoryBytes: m.memoryBytes,
          sharedMemory: m.sharedMemory,
        });
        setShown(m.total);
        setCache(newCache());
        setState('ready');
        setNotice(m.warning ?? '');
      } else {
        setError(m.message);
        setNotice(m.message);
        setState('error');
      }
    });
    clientRef.current = client;
    // Opened by `synack ui FILE`: the server serves that capture at /capture.
    let cancelled = false;
    fetch('capture/meta')
      .then((r) => (r.ok ? (r.json() as Promise<unknown>) : null))
      .then((meta) => {
        if (cancelled || meta === null || typeof meta !== 'object') return;
        const m = meta as { name?: unknown; size?: unknown };
        const name = typeof m.name === 'string' ? m.name : 'capture';
        const size = typeof m.size === 'number' ? m.size : 0;
        setState('loading');
        setProgress({ bytes: 0, total: size, packets: 0 });
        setCapture(null);
        client.openUrl(new URL('capture', document.baseURI).href, name, size);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
      client.terminate();
      clientRef.current = null;
    };
  }, []);

  const openFile = useCallback(
    (file: File) => {
      const client = clientRef.current;
      if (!client) return;
      resetView();
      setCapture(null);
      setShown(0);
      setSort(null);
      setAppliedFilter('');
      setFilterText('');
      setFilterMs(null);
      setError('');
      setNotice('');
      setProgress({ bytes: 0, total: file.size, packets: 0 });
      setState('loading');
      client.openFile(file);
    },
    [resetView],
  );

  const fetchBlock = useCallback((c: RowCache, block: number): Promise<Row[]> => {
    const known = c.blocks.get(block);
    if (known) return Promise.resolve(known);
    let pending = c.pending.get(block);
    if (!pending) {
      const client = clientRef.current;
      if (!client) return Promise.resolve([]);
      pending = client.request({ type: 'rows', start: block * BLOCK, count: BLOCK }).then((m) => {
        c.blocks.set(block, m.rows);
        c.pending.delete(block);
        setRowsTick((t) => t + 1);
        return m.rows;
      });
      c.pending.set(block, pending);
    }
    return pending;
  }, []);

  const getRow = useCallback(
    (position: number): Row | undefined => {
      const block = Math.floor(position / BLOCK);
      const rows = cache.blocks.get(block);
      if (rows === undefined) {
        void fetchBlock(cache, block);
        return undefined;
      }
      return rows[position - block * BLOCK];
    },
    [cache, fetchBlock],
  );

  const prefetch = useCallback(
    (position: number) => {
      void fetchBlock(cache, Math.floor(position / BLOCK));
    },
    [cache, fetchBlock],
  );

  const loadRow = useCallback(
    async (position: number): Promise<Row | undefined> => {
      const block = Math.floor(position / BLOCK);
      const rows = await fetchBlock(cache, block);
      return rows[position - block * BLOCK];
    },
    [cache, fetchBlock],
  );

  const selectPacket = useCallback((row: Row, position: number) => {
    const client = clientRef.current;
    if (!client) return;
    setSelected({ number: row.number, position });
    const seq = ++selectSeq.current;
    void client.request({ type: 'select', number: row.number }).then((m) => {
      if (seq !== selectSeq.current) return;
      setItems(m.items);
      setSources(m.sources);
      setSelectedItem(-1);
    });
  }, []);

  /** After the view changed: find the selected packet again and scroll to it. */
  const relocate = useCallback(async (number: number | undefined) => {
    const client = clientRef.current;
    if (!client || number === undefined) return;
    const m = await client.request({ type: 'position', number });
    if (m.position >= 0) {
      setSelected({ number, position: m.position });
      setScrollTo({ position: m.position, seq: Date.now() });
    } else {
      setSelected(null);
      setItems([]);
      setSources([]);
    }
  }, []);

  const applyFilter = useCallback(
    (text: string) => {
      const client = clientRef.current;
      if (!client || !capture) return;
      setFilterText(text);
      setState('filtering');
      const keep = selected?.number;
      void client.request({ type: 'filter', text }).then((m) => {
        setState('ready');
        if (m.error) {
          setNotice(m.error);
          return;
        }
        setNotice('');
        setAppliedFilter(text);
        setFilterMs(m.ms);
        if (text.trim() !== '') setRecent(rememberFilter(text.trim()));
        setShown(m.shown);
        setCache(newCache());
        void relocate(keep);
      });
    },
    [capture, selected, relocate],
  );

  const onSort = useCallback(
    (column: ColumnKey) => {
      const client = clientRef.current;
      if (!client || !capture) return;
      // Wireshark's header clicks: ascending, descending, then back to packet order.
      const next: SortState | null =
        sort?.column !== column ? { column, ascending: true } : sort.ascending ? { column, ascending: false } : null;
      setSort(next);
      const keep = selected?.number;
      void client
        .request({ type: 'sort', column: next ? next.column : null, ascending: next ? next.ascending : true })
        .then((m) => {
          setShown(m.shown);
          setCache(newCache());
          void relocate(keep);
        });
    },
    [capture, sort, selected, relocate],
  );

  const selectItem = useCallback(
    (index: number) => {
      setSelectedItem(index);
      // Open every ancestor so the item is visible.
      setExpanded((prev) => {
        let next: Set<string> | null = null;
        for (let p = items[index]?.parent ?? -1; p >= 0; p = items[p].parent) {
          const key = expandKey(items, p);
          if (!prev.has(key)) (next ??= new Set(prev)).add(key);
        }
        return next ?? prev;
      });
    },
    [items],
  );

  const toggle = useCallback(
    (index: number) => {
      setExpanded((prev) => {
        const next = new Set(prev);
        const key = expandKey(items, index);
        if (next.has(key)) next.delete(key);
        else next.add(key);
        return next;
      });
    },
    [items],
  );

  const onByteClick = useCallback(
    (source: number, offset: number) => {
      // The innermost field covering the byte: the shortest range, the deepest on a tie.
      let best = -1;
      for (let i = 0; i < items.length; i++) {
        const it = items[i];
        if (it.source !== source || it.length <= 0 || offset < it.start || offset >= it.start + it.length) continue;
        if (best < 0 || it.length <= items[best].length) best = i;
      }
      if (best >= 0) selectItem(best);
    },
    [items, selectItem],
  );

  const copy = useCallback((text: string) => {
    void navigator.clipboard?.writeText(text).then(
      () => setNotice(`Copied: ${text.length > 80 ? text.slice(0, 80) + '…' : text}`),
      () => setNotice('Copying needs clipboard permission.'),
    );
  }, []);

  const highlight =
    selectedItem >= 0 && items[selectedItem]
      ? { source: items[selectedItem].source, start: items[selectedItem].start, length: items[selectedItem].length }
      : null;

  const onDrop = (e: React.DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) openFile(file);
  };

  const dark = theme === 'dark';
  const total = capture?.total ?? 0;
  const percent = progress.total > 0 ? Math.min(100, (100 * progress.bytes) / progress.total) : 0;

  return (
    <div
      className={dragging ? 'app dragging' : 'app'}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <header className="toolbar">
        <span className="brand">synack</span>
        <button type="button" onClick={() => fileInput.current?.click()}>
          Open…
        </button>
        <input
          ref={fileInput}
          className="file-input"
          data-testid="file-input"
          type="file"
          accept=".pcap,.pcapng,.cap,.gz,.pcap.gz,.pcapng.gz,application/vnd.tcpdump.pcap"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) openFile(file);
            e.target.value = '';
          }}
        />
        {capture ? <Legend rules={capture.rules} dark={dark} /> : null}
        <button
          type="button"
          className="theme-toggle"
          data-testid="theme-toggle"
          aria-label={dark ? 'Switch to the light theme' : 'Switch to the dark theme'}
          onClick={() => setTheme(dark ? 'light' : 'dark')}
        >
          {dark ? '☀ Light' : '☾ Dark'}
        </button>
      </header>
      <FilterBar
        text={filterText}
        onChange={setFilterText}
        onApply={applyFilter}
        busy={state === 'filtering'}
        disabled={capture === null}
        applied={appliedFilter}
        recent={recent}
      />
      {state === 'loading' ? (
        <div className="progress" data-testid="progress" role="status">
          <progress max={100} value={percent} />
          <span>
            Loading… {progress.packets.toLocaleString('en-US')} packets, {formatBytes(progress.bytes)}
            {progress.total ? ` of ${formatBytes(progress.total)}` : ''}
          </span>
        </div>
      ) : null}
      {state === 'error' ? (
        <div className="load-error" role="alert" data-testid="load-error">
          {error}
        </div>
      ) : null}
      {capture === null && state !== 'loading' ? (
        <main className="empty-state">
          <h1>Open a capture</h1>
          <p>
            Choose a pcap or pcapng file (gzip too) with <strong>Open…</strong> or drop it on this page. It is parsed
            here, in your browser: nothing is uploaded.
          </p>
        </main>
      ) : (
        <main className="panes">
          <PacketList
            shown={shown}
            getRow={getRow}
            prefetch={prefetch}
            loadRow={loadRow}
            selectedNumber={selected?.number ?? null}
            selectedPosition={selected?.position ?? null}
            scrollTo={scrollTo}
            onSelect={selectPacket}
            sort={sort}
            onSort={onSort}
            dark={dark}
          />
          <DetailsPane
            items={items}
            selectedItem={selectedItem}
            expanded={expanded}
            onSelectItem={selectItem}
            onToggle={toggle}
            onApplyFilter={applyFilter}
            onCopy={copy}
          />
          <BytesPane sources={sources} highlight={highlight} onByteClick={onByteClick} />
        </main>
      )}
      <footer
        className="status"
        data-testid="status"
        data-file={capture?.name ?? ''}
        data-shown={capture ? shown : 0}
        data-total={total}
        data-load-ms={capture?.loadMs ?? ''}
        data-index-ms={capture?.indexMs ?? ''}
        data-memory-bytes={capture?.memoryBytes ?? ''}
        data-shared-memory={capture ? String(capture.sharedMemory) : ''}
        data-filter-ms={filterMs ?? ''}
      >
        <span>{capture ? capture.name : 'No capture'}</span>
        {capture ? (
          <>
            <span>
              Packets: {total.toLocaleString('en-US')} · Displayed: {shown.toLocaleString('en-US')} (
              {total ? ((100 * shown) / total).toFixed(1) : '0.0'}%)
            </span>
            <span>Load time: {capture.loadMs} ms</span>
            {appliedFilter && filterMs !== null ? <span>Filter: {filterMs} ms</span> : null}
          </>
        ) : null}
        {notice ? <span className="notice">{notice}</span> : null}
      </footer>
    </div>
  );
}
