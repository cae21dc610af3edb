import { useCallback, useEffect, useRef, useState } from 'react';
import { FlowAtlasError, toFlowAtlasError } from '../../errors';

/** The proxy checks the text this long after the last keystroke. */
export const VALIDATE_DEBOUNCE_MS = 400;

export interface TextVerdict {
  text: string;
  /** The proxy rejects the text: a query with it would fail, so it is not run. */
  invalid?: FlowAtlasError;
  /** The check itself failed (proxy unreachable): nothing is known, the query may still run. */
  unchecked?: FlowAtlasError;
}

/**
 * The filter text's verdict from the proxy: checked after a pause in typing, and on demand
 * (`check`) before the editor runs the query or leaves text mode; one request per text.
 */
export function useFilterTextCheck(text: string, active: boolean, validate: (text: string) => Promise<unknown>) {
  const [verdict, setVerdict] = useState<TextVerdict | undefined>();
  const last = useRef<{ text: string; promise: Promise<TextVerdict> } | undefined>(undefined);

  const check = useCallback(
    (t: string): Promise<TextVerdict> => {
      if (last.current?.text === t) {
        return last.current.promise;
      }
      const promise: Promise<TextVerdict> =
        t.trim() === ''
          ? Promise.resolve({ text: t })
          : validate(t).then(
              () => ({ text: t }),
              (err) => {
                const e = toFlowAtlasError(err);
                // 400 = the proxy read the text and rejects it; anything else says nothing about the text
                return e.status === 400 ? { text: t, invalid: e } : { text: t, unchecked: e };
              }
            );
      last.current = { text: t, promise };
      promise.then((v) => {
        if (last.current?.promise === promise) {
          setVerdict(v);
          if (v.unchecked) {
            // ask again next time: the proxy may be back
            last.current = undefined;
          }
        }
      });
      return promise;
    },
    [validate]
  );

  useEffect(() => {
    if (!active) {
      return;
    }
    const timer = setTimeout(() => void check(text), text.trim() === '' ? 0 : VALIDATE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, active, check]);

  return { verdict: verdict?.text === text ? verdict : undefined, check };
}
