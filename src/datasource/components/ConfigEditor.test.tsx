import React, { useState } from 'react';
import { render, screen } from '@testing-library/react';
import userEvent, { PointerEventsCheckLevel } from '@testing-library/user-event';
import { DataSourceSettings } from '@grafana/data';
import { FlowAtlasOptions, FlowAtlasSecureOptions } from '../types';
import { ConfigEditor } from './ConfigEditor';
import { testIds } from './testIds';

type Settings = DataSourceSettings<FlowAtlasOptions, FlowAtlasSecureOptions>;

function setup(initial: Partial<Settings>) {
  const changes: Settings[] = [];
  function Host() {
    const [options, setOptions] = useState({ jsonData: {}, secureJsonFields: {}, ...initial } as Settings);
    return (
      <ConfigEditor
        options={options}
        onOptionsChange={(o) => {
          changes.push(o);
          setOptions(o);
        }}
      />
    );
  }
  render(<Host />);
  return { user: userEvent.setup({ pointerEventsCheck: PointerEventsCheckLevel.Never }), last: () => changes[changes.length - 1] };
}

describe('ConfigEditor', () => {
  it('stores the proxy URL and timeout in jsonData and the token only in secureJsonData', async () => {
    const { user, last } = setup({});
    await user.type(screen.getByTestId(testIds.config.proxyUrl), 'http://backend-proxy:8686');
    await user.type(screen.getByTestId(testIds.config.timeout), '30');
    await user.type(screen.getByTestId(testIds.config.token), 's3cret');
    expect(last().jsonData).toEqual({ proxyUrl: 'http://backend-proxy:8686', timeout: 30 });
    expect(last().secureJsonData).toEqual({ token: 's3cret' });
    expect(JSON.stringify(last().jsonData)).not.toContain('s3cret');
  });

  it('shows a timeout saved as timeoutSeconds and moves it to timeout, the key Grafana’s data source proxy reads, when edited', async () => {
    const { user, last } = setup({ jsonData: { proxyUrl: 'http://x:8686', timeoutSeconds: 45 } });
    const input = screen.getByTestId(testIds.config.timeout);
    expect(input).toHaveValue(45);
    await user.clear(input);
    await user.type(input, '90');
    expect(last().jsonData.timeout).toBe(90);
    expect(last().jsonData.timeoutSeconds).toBeUndefined();
  });

  it('names the ad hoc filter variable of drill-down links (empty = the default Filters)', async () => {
    const { user, last } = setup({ jsonData: { proxyUrl: 'http://x:8686' } });
    const input = screen.getByTestId(testIds.config.adHocVariable);
    expect(input).toHaveAttribute('placeholder', 'Filters');
    await user.type(input, 'flow_filters');
    expect(last().jsonData).toEqual({ proxyUrl: 'http://x:8686', adHocVariable: 'flow_filters' });
    await user.clear(input);
    expect(last().jsonData).toEqual({ proxyUrl: 'http://x:8686', adHocVariable: undefined });
  });

  it('shows a configured token as set and can reset it', async () => {
    const { user, last } = setup({ jsonData: { proxyUrl: 'http://x:8686' }, secureJsonFields: { token: true } });
    expect(screen.getByTestId(testIds.config.token)).toHaveValue('configured');
    await user.click(screen.getByRole('button', { name: 'Reset' }));
    expect(last().secureJsonFields).toEqual({ token: false });
    expect(last().secureJsonData).toEqual({ token: '' });
  });
});
