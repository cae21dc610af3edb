import React from 'react';
import { DataFrame } from '@grafana/data';
import { Alert } from '@grafana/ui';
import { FlowQueryModel } from '../../shared/flowQuery';
import { alertHints } from '../alertShape';
import { testIds } from './testIds';

/**
 * Shown in the alert rule editor: how the rule will see this query (rules: ../alertShape.ts),
 * checked on the preview's frames too when the editor has them.
 */
export function AlertFriendlyHint({ query, frames }: { query: FlowQueryModel; frames?: DataFrame[] }) {
  const hints = alertHints(query, frames);
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
