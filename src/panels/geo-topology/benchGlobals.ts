// @grafana/data touches `window` (localStorage events) at import time; the benchmark runs in plain Node.
const g = globalThis as unknown as Record<string, unknown>;
if (typeof g.window === 'undefined') {
  g.window = Object.assign(globalThis, { addEventListener: () => undefined, removeEventListener: () => undefined });
}
export {};
