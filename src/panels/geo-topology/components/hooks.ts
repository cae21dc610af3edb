import { useEffect, useMemo, useState } from 'react';

const REDUCED_MOTION = '(prefers-reduced-motion: reduce)';

/** Follows the OS/browser "reduce motion" setting live, so the dash animation stops when asked. */
export function usePrefersReducedMotion(): boolean {
  const query = useMemo(() => (typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(REDUCED_MOTION) : undefined), []);
  const [reduced, setReduced] = useState<boolean>(query?.matches ?? false);
  useEffect(() => {
    if (!query) {
      return;
    }
    const onChange = (e: MediaQueryListEvent) => setReduced(e.matches);
    query.addEventListener?.('change', onChange);
    return () => query.removeEventListener?.('change', onChange);
  }, [query]);
  return reduced;
}
