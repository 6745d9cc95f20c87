import { describe, expect, it } from 'vitest';
import { FieldGroup, ProtoTree } from './tree.js';

describe('ProtoTree', () => {
  it('keeps only wanted fields outside full mode, and nests items in full mode', () => {
    const t = new ProtoTree();
    t.wanted = new Uint8Array([0, 1, 0]);
    expect(t.add(0, 0, 1, 5)).toBe(-1);
    expect(t.add(1, 0, 1, 7)).toBe(0);
    expect(t.count).toBe(1);
    t.reset();
    t.full = true;
    const top = t.add(0, 0, 4);
    t.open(top);
    const child = t.add(1, 0, 2, 9);
    t.close();
    const sibling = t.add(2, 2, 2);
    expect(t.parent[child]).toBe(top);
    expect(t.parent[sibling]).toBe(-1);
    expect(t.num[child]).toBe(9);
  });

  it('grows past its initial capacity', () => {
    const t = new ProtoTree();
    t.full = true;
    for (let i = 0; i < 1000; i++) t.add(0, i, 1, i);
    expect(t.count).toBe(1000);
    expect(t.num[999]).toBe(999);
    expect(t.start[500]).toBe(500);
  });

  it('answers keepsAny for a field group, again whenever the wanted set changes', () => {
    const t = new ProtoTree();
    const group = new FieldGroup([1, 2]);
    t.wanted = new Uint8Array([1, 0, 0]);
    expect(t.keepsAny(group)).toBe(false);
    t.wanted = new Uint8Array([0, 0, 1]);
    expect(t.keepsAny(group)).toBe(true);
    t.wanted = new Uint8Array(3);
    expect(t.keepsAny(group)).toBe(false);
    t.full = true;
    expect(t.keepsAny(group)).toBe(true);
  });
});
