import { css } from '@emotion/css';
import { GrafanaTheme2, PanelProps } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import React, { useCallback, useEffect, useMemo, useRef } from 'react';

import { buildPanelModel } from '../panelModel';
import { CorrelationFindingsEvent, findingsText } from '../series/findings';
import { correlationResultFrames } from '../series/resultFrames';
import { CorrelationPanelOptions, withDefaultOptions } from '../types';
import { CorrelationChart } from './CorrelationChart';
import { CorrelationHeader, HEADER_HEIGHT } from './CorrelationHeader';
import { testIds } from './testIds';
import { useMeasuredHeight } from './useMeasuredHeight';

type Props = PanelProps<CorrelationPanelOptions>;

const NO_WINDOWS: never[] = [];

export function CorrelationPanel({ id, data, timeRange, timeZone, options, width, height, onChangeTimeRange, eventBus }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const o = useMemo(() => withDefaultOptions(options), [options]);
  const from = timeRange.from.valueOf();
  const to = timeRange.to.valueOf();
  const range = useMemo(() => ({ from, to }), [from, to]);
  const model = useMemo(() => buildPanelModel(data.series, o, range), [data.series, o, range]);
  // The findings as frames, published for other panels and copied as text: one source for both.
  const frames = useMemo(
    () => (model.result && model.a && model.b ? correlationResultFrames(model.result, { a: model.a.name, b: model.b.name }) : null),
    [model]
  );
  useEffect(() => {
    if (frames) {
      eventBus?.publish?.(new CorrelationFindingsEvent({ panelId: id, frames }));
    }
  }, [frames, eventBus, id]);
  const findings = useCallback(() => (frames ? findingsText(frames, { timeZone, range }) : ''), [frames, timeZone, range]);
  const header = useRef<HTMLDivElement>(null);
  const headerHeight = useMeasuredHeight(header, HEADER_HEIGHT);

  const colors = {
    a: theme.visualization.getColorByName(o.colorA),
    b: theme.visualization.getColorByName(o.colorB),
    spike: theme.visualization.getColorByName(o.spikeColor),
  };

  return (
    <div className={styles.panel} style={{ width, height }} data-testid={testIds.panel}>
      <CorrelationHeader ref={header} model={model} colorA={colors.a} colorB={colors.b} findings={frames ? findings : undefined} />
      {model.a && model.b ? (
        <CorrelationChart
          width={width}
          height={Math.max(40, height - headerHeight)}
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
