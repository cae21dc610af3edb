import React from 'react';
import { AppRootProps } from '@grafana/data';
import { LinkButton, Stack, Text } from '@grafana/ui';
import { testIds } from '../testIds';

/** Landing page: where the forensic workflow starts. */
export default function App(_: AppRootProps) {
  return (
    <div data-testid={testIds.app.overview}>
      <Stack direction="column" gap={2}>
        <Text element="h2">FlowAtlas</Text>
        <Text element="p">
          Answer a security alert from flow records alone: who attacked, from which country, which flow was the
          successful login, what the host touched next, and whether data left.
        </Text>
        <LinkButton href="/dashboards?query=Flow%20forensics" icon="apps">
          Open the Flow forensics dashboard
        </LinkButton>
      </Stack>
    </div>
  );
}
