import { describe, expect, it } from 'vitest';
import { ConversationTable } from './tcp-conversation.js';

describe('ConversationTable', () => {
  it('makes an entry once per key and returns it again', () => {
    const table = new ConversationTable<{ n: number }>();
    let made = 0;
    const make = (): { n: number } => ({ n: ++made });
    const a = table.getOrAdd(1, make);
    expect(table.getOrAdd(1, make)).toBe(a);
    expect(table.getOrAdd('x|y', make).n).toBe(2);
    expect(table.get(3)).toBeUndefined();
  });

  it('forgets the oldest conversation past its limit', () => {
    const table = new ConversationTable<number>(2);
    table.getOrAdd(1, () => 1);
    table.getOrAdd(2, () => 2);
    table.getOrAdd(3, () => 3);
    expect(table.size).toBe(2);
    expect(table.get(1)).toBeUndefined();
    expect(table.get(3)).toBe(3);
  });
});
