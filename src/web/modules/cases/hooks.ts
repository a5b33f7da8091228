import { useCallback, useEffect, useRef, useState } from 'react';

/** Re-renders every `ms`: the countdowns tick without new data. */
export function useNow(ms = 1000) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/**
 * Loads `load()` now and every `pollMs` (new work appears without a reload), again at once when `key`
 * changes; `reload` on demand.
 */
export function usePolled<T>(load: () => Promise<T>, pollMs: number, key = '') {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const latest = useRef(load);
  latest.current = load;
  const reload = useCallback(async () => {
    try {
      setData(await latest.current());
      setError(null);
    } catch (e) {
      setError(e as Error);
    }
  }, []);
  useEffect(() => {
    void key;
    void reload();
    const timer = setInterval(() => void reload(), pollMs);
    return () => clearInterval(timer);
  }, [reload, pollMs, key]);
  return { data, error, reload };
}

/** Single-key shortcuts, ignored while the agent types in a field (Escape leaves it). */
export function useShortcuts(keys: Record<string, () => void>) {
  const latest = useRef(keys);
  latest.current = keys;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const inField =
        target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      // Escape leaves the field, so that the next key is a shortcut again without reaching for the mouse.
      if (inField && e.key === 'Escape') return target.blur();
      if (inField) return;
      const action = latest.current[e.key.toLowerCase()];
      if (action) {
        e.preventDefault();
        action();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
