import React, { ChangeEvent } from 'react';
import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, FieldSet, Input, SecretInput } from '@grafana/ui';
import { DEFAULT_AD_HOC_VARIABLE, FlowAtlasOptions, FlowAtlasSecureOptions } from '../types';
import { testIds } from './testIds';

interface Props extends DataSourcePluginOptionsEditorProps<FlowAtlasOptions, FlowAtlasSecureOptions> {}

export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields, secureJsonData } = options;

  const setJson = (patch: Partial<FlowAtlasOptions>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });

  const onTokenChange = (event: ChangeEvent<HTMLInputElement>) =>
    onOptionsChange({ ...options, secureJsonData: { ...secureJsonData, token: event.target.value } });

  const onTokenReset = () =>
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, token: false },
      secureJsonData: { ...secureJsonData, token: '' },
    });

  const timeout = jsonData.timeout ?? jsonData.timeoutSeconds;

  return (
    <FieldSet label="FlowAtlas proxy">
      <Field label="Proxy URL" description="backend-proxy as Grafana's server reaches it, e.g. http://backend-proxy:8686">
        <Input
          id="flowatlas-proxy-url"
          data-testid={testIds.config.proxyUrl}
          width={50}
          value={jsonData.proxyUrl ?? ''}
          placeholder="http://localhost:8686"
          onChange={(e: ChangeEvent<HTMLInputElement>) => setJson({ proxyUrl: e.target.value.trim() })}
        />
      </Field>
      <Field label="Token" description="FLOWATLAS_TOKEN of the proxy; stored encrypted, sent only by Grafana's server">
        <SecretInput
          id="flowatlas-token"
          data-testid={testIds.config.token}
          width={50}
          isConfigured={Boolean(secureJsonFields?.token)}
          value={secureJsonData?.token ?? ''}
          placeholder="Proxy token"
          onChange={onTokenChange}
          onReset={onTokenReset}
        />
      </Field>
      <Field label="Timeout (seconds)" description="A query that takes longer is cancelled; Grafana's data source proxy waits as long (its default is 30 s)">
        <Input
          id="flowatlas-timeout"
          data-testid={testIds.config.timeout}
          type="number"
          min={1}
          width={12}
          value={timeout ?? ''}
          placeholder="60"
          onChange={(e: ChangeEvent<HTMLInputElement>) =>
            setJson({ timeout: e.target.value === '' ? undefined : Math.max(1, Number(e.target.value)), timeoutSeconds: undefined })
          }
        />
      </Field>
      <Field
        label="Ad hoc filter variable"
        description="Name of the dashboards' ad hoc filters variable: clicking a value in a table or a series adds it as a filter there"
      >
        <Input
          id="flowatlas-adhoc-variable"
          data-testid={testIds.config.adHocVariable}
          width={24}
          value={jsonData.adHocVariable ?? ''}
          placeholder={DEFAULT_AD_HOC_VARIABLE}
          onChange={(e: ChangeEvent<HTMLInputElement>) => setJson({ adHocVariable: e.target.value.trim() || undefined })}
        />
      </Field>
    </FieldSet>
  );
}
