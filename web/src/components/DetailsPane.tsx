// The details tree of the selected packet: its layers and fields with Wireshark's labels, each
// subtree opened and closed by click or arrow keys, the field abbreviation on hover, and a
// context menu with Apply as Filter and Copy Value.

import { useEffect, useRef, useState, type MouseEvent } from 'react';
import type { TreeItem } from '../protocol.js';

interface Props {
  items: TreeItem[];
  /** children[i]: the items under item i; children[-1] are stored at key 'roots'. */
  selectedItem: number;
  expanded: ReadonlySet<string>;
  onSelectItem(index: number): void;
  onToggle(index: number): void;
  onApplyFilter(text: string): void;
  onCopy(text: string): void;
}

/** The key that remembers an item's open state across packets (Wireshark keeps it per subtree type). */
export function expandKey(items: TreeItem[], i: number): string {
  const item = items[i];
  return item.abbrev !== '' ? item.abbrev : `${items[item.parent]?.abbrev ?? ''}/${item.label.split(':')[0]}`;
}

export function childrenOf(items: TreeItem[]): number[][] {
  const children: number[][] = items.map(() => []);
  for (let i = 0; i < items.length; i++) if (items[i].parent >= 0) children[items[i].parent].push(i);
  return children;
}

interface Menu {
  x: number;
  y: number;
  item: number;
}

export function DetailsPane(props: Props) {
  const { items, selectedItem, expanded, onSelectItem, onToggle } = props;
  const [menu, setMenu] = useState<Menu | null>(null);
  const pane = useRef<HTMLDivElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  // The menu closes on a click anywhere else and on Escape.
  useEffect(() => {
    if (menu === null) return;
    const onDown = (e: globalThis.MouseEvent) => {
      if (!menuRef.current?.contains(e.target as Node)) setMenu(null);
    };
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape') setMenu(null);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [menu]);
  // Keep the selected item in view (it may have been chosen by a click in the bytes pane).
  useEffect(() => {
    pane.current?.querySelector(`[data-index="${selectedItem}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selectedItem, expanded]);
  const children = childrenOf(items);

  const visible: { index: number; depth: number }[] = [];
  const walk = (i: number, depth: number) => {
    visible.push({ index: i, depth });
    if (children[i].length && expanded.has(expandKey(items, i))) for (const c of children[i]) walk(c, depth + 1);
  };
  for (let i = 0; i < items.length; i++) if (items[i].parent < 0) walk(i, 0);

  const openMenu = (e: MouseEvent, index: number) => {
    e.preventDefault();
    onSelectItem(index);
    setMenu({ x: e.clientX, y: e.clientY, item: index });
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    const at = visible.findIndex((v) => v.index === selectedItem);
    if (e.key === 'ArrowDown' && at + 1 < visible.length) onSelectItem(visible[at + 1].index);
    else if (e.key === 'ArrowUp' && at > 0) onSelectItem(visible[at - 1].index);
    else if (
      e.key === 'ArrowRight' &&
      at >= 0 &&
      children[selectedItem].length &&
      !expanded.has(expandKey(items, selectedItem))
    )
      onToggle(selectedItem);
    else if (e.key === 'ArrowLeft' && at >= 0 && expanded.has(expandKey(items, selectedItem))) onToggle(selectedItem);
    else return;
    e.preventDefault();
  };

  return (
    <div
      ref={pane}
      className="details"
      data-testid="details"
      tabIndex={0}
      role="tree"
      onKeyDown={onKeyDown}
      onClick={() => setMenu(null)}
    >
      {items.length === 0 ? <div className="pane-empty">No packet selected.</div> : null}
      {visible.map(({ index, depth }) => {
        const item = items[index];
        const hasChildren = children[index].length > 0;
        const open = hasChildren && expanded.has(expandKey(items, index));
        return (
          <div
            key={index}
            className={index === selectedItem ? 'tree-item selected' : 'tree-item'}
            data-testid="tree-item"
            data-abbrev={item.abbrev}
            data-index={index}
            aria-expanded={hasChildren ? open : undefined}
            aria-selected={index === selectedItem}
            role="treeitem"
            title={item.abbrev !== '' ? item.abbrev : item.label}
            style={{ paddingLeft: 4 + depth * 16 }}
            onClick={() => onSelectItem(index)}
            onDoubleClick={() => hasChildren && onToggle(index)}
            onContextMenu={(e) => openMenu(e, index)}
          >
            <span
              className="twisty"
              onClick={(e) => {
                e.stopPropagation();
                onSelectItem(index);
                if (hasChildren) onToggle(index);
              }}
            >
              {hasChildren ? (open ? '▾' : '▸') : ''}
            </span>
            <span className="label">{item.label}</span>
          </div>
        );
      })}
      {menu ? (
        <div ref={menuRef} className="context-menu" role="menu" style={{ left: menu.x, top: menu.y }}>
          <button
            type="button"
            role="menuitem"
            data-testid="menu-apply-filter"
            disabled={items[menu.item]?.filter === ''}
            onClick={(e) => {
              e.stopPropagation();
              setMenu(null);
              props.onApplyFilter(items[menu.item].filter);
            }}
          >
            Apply as Filter
          </button>
          <button
            type="button"
            role="menuitem"
            data-testid="menu-copy-value"
            onClick={(e) => {
              e.stopPropagation();
              setMenu(null);
              props.onCopy(items[menu.item].value);
            }}
          >
            Copy Value
          </button>
        </div>
      ) : null}
    </div>
  );
}
