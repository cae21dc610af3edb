import { RefObject, useLayoutEffect, useState } from 'react';

/**
 * The element's rendered height, kept up to date as its content wraps (ResizeObserver), or
 * `fallback` where nothing is laid out (jsdom, before the first layout).
 */
export function useMeasuredHeight(ref: RefObject<HTMLElement>, fallback: number): number {
  const [height, setHeight] = useState(fallback);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) {
      return;
    }
    const measure = () => setHeight(Math.ceil(el.getBoundingClientRect().height) || fallback);
    measure();
    if (typeof ResizeObserver === 'undefined') {
      return;
    }
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref, fallback]);
  return height;
}
