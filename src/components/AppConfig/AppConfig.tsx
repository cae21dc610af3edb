import React, { useEffect, useState } from 'react';
import { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import { Alert, LinkButton, Stack, Text } from '@grafana/ui';
import { DATASOURCE_TYPE } from '../../constants';
import { testIds } from '../testIds';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<{}>> {}

interface FlowAtlasInstance {
  name: string;
  uid: string;
}

/** The app keeps no settings of its own: it points to the FlowAtlas data source(s) that do. */
export default function AppConfig(_: AppConfigProps) {
  const [instances, setInstances] = useState<FlowAtlasInstance[] | undefined>();

  useEffect(() => {
    const list = getDataSourceSrv()
      .getList({ pluginId: DATASOURCE_TYPE })
      .map((ds) => ({ name: ds.name, uid: ds.uid }));
    setInstances(list);
  }, []);

  return (
    <div data-testid={testIds.appConfig.container}>
      <Stack direction="column" gap={2}>
        <Text element="p">
          FlowAtlas queries flow records through its backend proxy. The proxy URL and token are settings of the
          FlowAtlas data source; the token stays on Grafana&apos;s server.
        </Text>
        {instances && instances.length === 0 && (
          <Alert severity="info" title="No FlowAtlas data source yet" data-testid={testIds.appConfig.status}>
            Add one (type FlowAtlas) with the proxy URL, e.g. http://backend-proxy:8686, and its token.
          </Alert>
        )}
        {instances?.map((ds) => (
          <LinkButton
            key={ds.uid}
            variant="secondary"
            icon="database"
            href={`/connections/datasources/edit/${ds.uid}`}
            data-testid={testIds.appConfig.datasourceLink}
          >
            {ds.name}
          </LinkButton>
        ))}
      </Stack>
    </div>
  );
}
