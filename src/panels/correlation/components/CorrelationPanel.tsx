import { css } from '@emotion/css';
import { GrafanaTheme2, PanelProps } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import React, { useMemo } from 'react';

import { buildPanelModel } from '../panelModel';
import { CorrelationPanelOptions, DEFAULT_OPTIONS } from '../types';
import { CorrelationChart } from './CorrelationChart';
import { CorrelationHeader, HEADER_HEIGHT } from './CorrelationHeader';
import { testIds } from './testIds';

type Props = PanelProps<CorrelationPanelOptions>;

const NO_WINDOWS: never[] = [];

export function CorrelationPanel({ data, timeRange, timeZone, options, width, height, onChangeTimeRange }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const o = useMemo(() => ({ ...DEFAULT_OPTIONS, ...options }), [options]);
  const from = timeRange.from.valueOf();
  const to = timeRange.to.valueOf();
  const range = useMemo(() => ({ from, to }), [from, to]);
  const model = useMemo(() => buildPanelModel(data.series, o, range), [data.series, o, range]);
  const colors = {
    a: theme.visualization.getColorByName(o.colorA),
    b: theme.visualization.getColorByName(o.colorB),
    spike: theme.visualization.getColorByName(o.spikeColor),
  };

  return (
    <div className={styles.panel} style={{ width, height }} data-testid={testIds.panel}>
      <CorrelationHeader model={model} colorA={colors.a} colorB={colors.b} />
      {model.a && model.b ? (
        <CorrelationChart
          width={width}
          height={Math.max(40, height - HEADER_HEIGHT)}
          a={model.a}
          b={model.b}
          windows={model.result?.windows ?? NO_WINDOWS}
          range={range}
          layout={o.layout}
          timeZone={timeZone}
          colors={colors}
          onChangeTimeRange={onChangeTimeRange}
        />
      ) : (
        <div className={styles.message} data-testid={testIds.message}>
          {model.extraction.ok ? '' : model.extraction.message}
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  panel: css({ display: 'flex', flexDirection: 'column', overflow: 'hidden' }),
  message: css({ flex: 1, display: 'flex', alignItems: 'center', justifyContent: 'center', color: theme.colors.text.secondary }),
});
