// The colouring legend: the rules in effect, in the order they are tried, with their filter on hover.

import { COLOURING_RULES } from '../colouring.js';

export function Legend({ rules, dark }: { rules: { index: number; filter: string }[]; dark: boolean }) {
  return (
    <div className="legend" data-testid="legend" aria-label="Colouring rules">
      {rules.map((r) => {
        const rule = COLOURING_RULES[r.index];
        return (
          <span
            key={r.index}
            className="legend-item"
            title={r.filter}
            data-rule={rule.name}
            style={{ background: dark ? rule.darkBg : rule.bg, color: dark ? rule.darkFg : rule.fg }}
          >
            {rule.name}
          </span>
        );
      })}
    </div>
  );
}
