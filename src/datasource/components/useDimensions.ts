import { useEffect, useState } from 'react';
import { DimensionInfo } from '../../shared/flowQuery';

/** The engine's dimensions for the editors; empty (free typing still works) while loading or on error. */
export function useDimensions(load: () => Promise<DimensionInfo[]>): { dimensions: DimensionInfo[]; error?: string } {
  const [state, setState] = useState<{ dimensions: DimensionInfo[]; error?: string }>({ dimensions: [] });
  useEffect(() => {
    let live = true;
    load().then(
      (dimensions) => live && setState({ dimensions }),
      (err) => live && setState({ dimensions: [], error: String(err?.data?.message ?? err?.message ?? err) })
    );
    return () => {
      live = false;
    };
  }, [load]);
  return state;
}
