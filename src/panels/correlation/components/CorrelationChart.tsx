import { css } from '@emotion/css';
import { AbsoluteTimeRange, dateTimeForTimeZone, dateTimeFormat, formattedValueToString, GrafanaTheme2, getValueFormat, TimeZone } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React, { useId, useMemo, useRef, useState } from 'react';

import { chartGeometry } from '../chart/geometry';
import { hoverReadout, nearestIndex } from '../chart/hover';
import { timeTickFormat } from '../chart/scales';
import { NamedSeries } from '../series/extractSeries';
import { SpikeWindow } from '../stats/spikes';
import { ChartLayout } from '../types';
import { testIds } from './testIds';

interface Props {
  width: number;
  height: number;
  a: NamedSeries;
  b: NamedSeries;
  windows: SpikeWindow[];
  range: { from: number; to: number };
  layout: ChartLayout;
  timeZone: TimeZone;
  colors: { a: string; b: string; spike: string };
  onChangeTimeRange: (range: AbsoluteTimeRange) => void;
}

/** Drags shorter than this are clicks, not zooms. */
const MIN_DRAG_PX = 4;

function formatValue(v: number, unit?: string, decimals?: number): string {
  return formattedValueToString(getValueFormat(unit)(v, decimals));
}

export function CorrelationChart(props: Props) {
  const { width, height, a, b, range, layout, timeZone, colors } = props;
  const styles = useStyles2(getStyles);
  const svgRef = useRef<SVGSVGElement>(null);
  // One clip path per chart: ids are document-wide and a dashboard holds several panels.
  const clipId = `flowatlas-correlation-clip-${useId().replace(/:/g, '')}`;
  const [drag, setDrag] = useState<{ x0: number; x1: number } | null>(null);
  const [hoverX, setHoverX] = useState<number | null>(null);

  const geometry = useMemo(() => {
    const tzOffsetMs = dateTimeForTimeZone(timeZone, range.from).utcOffset() * 60_000;
    return chartGeometry({ width, height, range, layout, a, b, windows: props.windows, tzOffsetMs });
  }, [width, height, range, layout, a, b, props.windows, timeZone]);
  const { plot, baselineY } = geometry;
  const tickFormat = timeTickFormat(geometry.xTicks.interval, range.to - range.from);

  const localX = (clientX: number) => {
    const left = svgRef.current?.getBoundingClientRect().left ?? 0;
    return Math.min(plot.left + plot.width, Math.max(plot.left, clientX - left));
  };
  const hover = useMemo(() => {
    if (hoverX === null) {
      return null;
    }
    const t = geometry.invertX(hoverX);
    const ia = nearestIndex(a.times, t);
    const ib = nearestIndex(b.times, t);
    const valueAt = (s: NamedSeries, i: number) => (i >= 0 && typeof s.values[i] === 'number' ? formatValue(s.values[i] as number, s.unit, s.decimals) : '—');
    const time = ia >= 0 ? a.times[ia] : t;
    return {
      x: geometry.x(time),
      time: dateTimeFormat(time, { timeZone, format: 'YYYY-MM-DD HH:mm:ss' }),
      rows: hoverReadout({ name: a.name, value: valueAt(a, ia) }, { name: b.name, value: valueAt(b, ib) }),
    };
  }, [hoverX, geometry, a, b, timeZone]);
  const finishDrag = () => {
    if (drag && Math.abs(drag.x1 - drag.x0) >= MIN_DRAG_PX) {
      const from = geometry.invertX(Math.min(drag.x0, drag.x1));
      const to = geometry.invertX(Math.max(drag.x0, drag.x1));
      props.onChangeTimeRange({ from: Math.round(from), to: Math.round(to) });
    }
    setDrag(null);
  };

  return (
    <svg ref={svgRef} width={width} height={height} className={styles.svg} data-testid={testIds.chart} role="img" aria-label={`${a.name} and ${b.name}`}>
      <defs>
        <clipPath id={clipId}>
          <rect x={plot.left} y={plot.top} width={plot.width} height={plot.height} />
        </clipPath>
      </defs>
      {geometry.windows.map((w) => (
        <rect
          key={w.from}
          data-testid={testIds.spikeWindow}
          data-from={w.from}
          data-to={w.to}
          x={w.x}
          y={plot.top}
          width={w.width}
          height={plot.height}
          fill={colors.spike}
          fillOpacity={0.18}
        />
      ))}
      {geometry.yTicks.map((t) => (
        <g key={`${t.series}-${t.side}-${t.value}`}>
          <line x1={plot.left} x2={plot.left + plot.width} y1={t.y} y2={t.y} className={t.value === 0 ? styles.axis : styles.grid} />
          <text
            x={t.side === 'left' ? plot.left - 6 : plot.left + plot.width + 6}
            y={t.y}
            dy="0.32em"
            textAnchor={t.side === 'left' ? 'end' : 'start'}
            className={styles.label}
          >
            {formatValue(t.value, t.series === 'A' ? a.unit : b.unit, t.series === 'A' ? a.decimals : b.decimals)}
          </text>
        </g>
      ))}
      {geometry.xTicks.ticks.map((t) => (
        <text key={t.time} x={t.x} y={plot.top + plot.height + 18} textAnchor={t.x > width - 30 ? 'end' : 'middle'} className={styles.label}>
          {dateTimeFormat(t.time, { timeZone, format: tickFormat })}
        </text>
      ))}
      <g clipPath={`url(#${clipId})`}>
        <path d={geometry.paths.a.area} fill={colors.a} fillOpacity={0.15} />
        <path d={geometry.paths.a.line} stroke={colors.a} strokeWidth={1.5} fill="none" data-testid={testIds.seriesA} />
        <path d={geometry.paths.b.area} fill={colors.b} fillOpacity={0.15} />
        <path d={geometry.paths.b.line} stroke={colors.b} strokeWidth={1.5} fill="none" data-testid={testIds.seriesB} />
      </g>
      <line x1={plot.left} x2={plot.left + plot.width} y1={baselineY} y2={baselineY} className={styles.axis} />
      {hover && !drag && (
        <g data-testid={testIds.hover} pointerEvents="none">
          <line x1={hover.x} x2={hover.x} y1={plot.top} y2={plot.top + plot.height} className={styles.crosshair} />
          {/* One labelled line per series: "A (name): value", coloured like its line. */}
          <text x={plot.left + 6} y={plot.top + 12} className={styles.hoverText}>
            <tspan data-readout="time">{hover.time}</tspan>
            {hover.rows.map((row) => (
              <tspan key={row.series} x={plot.left + 6} dy="1.3em" data-readout={row.series}>
                <tspan fill={row.series === 'A' ? colors.a : colors.b} fontWeight={600}>
                  {row.label}:
                </tspan>{' '}
                {row.value}
              </tspan>
            ))}
          </text>
        </g>
      )}
      {drag && (
        <rect
          data-testid={testIds.zoomSelection}
          x={Math.min(drag.x0, drag.x1)}
          y={plot.top}
          width={Math.abs(drag.x1 - drag.x0)}
          height={plot.height}
          className={styles.selection}
        />
      )}
      <rect
        data-testid={testIds.zoomArea}
        x={plot.left}
        y={plot.top}
        width={plot.width}
        height={plot.height}
        fill="transparent"
        className={styles.zoomArea}
        onMouseDown={(e) => {
          const x = localX(e.clientX);
          setDrag({ x0: x, x1: x });
        }}
        onMouseMove={(e) => {
          const x = localX(e.clientX);
          setHoverX(x);
          if (drag) {
            setDrag({ ...drag, x1: x });
          }
        }}
        onMouseUp={finishDrag}
        onMouseLeave={() => {
          setDrag(null);
          setHoverX(null);
        }}
      />
    </svg>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  svg: css({ display: 'block', userSelect: 'none' }),
  grid: css({ stroke: theme.colors.border.weak, strokeWidth: 1 }),
  axis: css({ stroke: theme.colors.border.medium, strokeWidth: 1 }),
  label: css({ fill: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  selection: css({ fill: theme.colors.primary.transparent, stroke: theme.colors.primary.border, pointerEvents: 'none' }),
  zoomArea: css({ cursor: 'crosshair' }),
  crosshair: css({ stroke: theme.colors.text.secondary, strokeDasharray: '3 3' }),
  hoverText: css({ fill: theme.colors.text.primary, fontSize: theme.typography.bodySmall.fontSize, paintOrder: 'stroke', stroke: theme.colors.background.primary, strokeWidth: 3 }),
});
