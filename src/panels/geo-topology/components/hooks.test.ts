import { act, renderHook } from '@testing-library/react';
import { usePrefersReducedMotion } from './hooks';

describe('usePrefersReducedMotion', () => {
  const original = window.matchMedia;
  afterEach(() => {
    window.matchMedia = original;
  });

  it('follows the browser setting, including live changes', () => {
    let listener: ((e: { matches: boolean }) => void) | undefined;
    window.matchMedia = ((query: string) => ({
      matches: query === '(prefers-reduced-motion: reduce)',
      media: query,
      addEventListener: (_: string, l: (e: { matches: boolean }) => void) => (listener = l),
      removeEventListener: () => undefined,
    })) as unknown as typeof window.matchMedia;
    const { result } = renderHook(() => usePrefersReducedMotion());
    expect(result.current).toBe(true);
    act(() => listener!({ matches: false }));
    expect(result.current).toBe(false);
  });
});
