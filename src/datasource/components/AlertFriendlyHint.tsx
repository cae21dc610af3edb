import React from 'react';
import { Alert } from '@grafana/ui';
import { FlowQueryModel } from '../../shared/flowQuery';
import { alertHints } from '../alertShape';
import { testIds } from './testIds';

/** Shown in the alert rule editor: how the rule will see this query (rules: ../alertShape.ts). */
export function AlertFriendlyHint({ query }: { query: FlowQueryModel }) {
  const hints = alertHints(query);
  if (hints.length === 0) {
    return null;
  }
  const severity = hints.some((h) => h.level === 'warning') ? 'warning' : 'info';
  return (
    <div data-testid={testIds.queryEditor.alertHint}>
      <Alert severity={severity} title="Alert-friendly query">
        <ul>
          {hints.map((h) => (
            <li key={h.text}>{h.text}</li>
          ))}
        </ul>
      </Alert>
    </div>
  );
}
