import React, { useState } from 'react';
import { InlineField, Input } from '@grafana/ui';
import { getToken, setToken } from './runtime/token';
import { testIds } from './testIds';

/**
 * The proxy token for this tab (sessionStorage). A change reloads the page, so the variables and
 * queries that failed without it run again with it.
 */
export function TokenField() {
  const [text, setText] = useState(getToken);
  const apply = () => {
    if (text.trim() !== getToken()) {
      setToken(text);
      window.location.reload();
    }
  };
  return (
    <InlineField label="Token" tooltip="The proxy's FLOWATLAS_TOKEN (or FLOWATLAS_QUERY_TOKEN), kept in this browser tab only; ?token=… in the address does the same">
      <Input
        type="password"
        width={14}
        aria-label="Proxy token"
        data-testid={testIds.token}
        placeholder="none"
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        onBlur={apply}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            apply();
          }
        }}
      />
    </InlineField>
  );
}
