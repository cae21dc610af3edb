import { DataFrame, dateTime, FieldConfigSource, LoadingState, PanelProps, TimeZone } from '@grafana/data';
import { act, fireEvent, render, screen } from '@testing-library/react';
import React from 'react';

import { buildBidirectionalFrames, buildTwoQueryFrames, DEFAULT_FIXTURE } from '../fixtures/correlationFixtures';
import { CorrelationFindingsEvent, findingsText } from '../series/findings';
import { ChartLayout, CorrelationPanelOptions, DEFAULT_OPTIONS, SeriesSource } from '../types';
import { CorrelationPanel } from './CorrelationPanel';
import { testIds } from './testIds';

const MIN = 60_000;
const START = DEFAULT_FIXTURE.start;
const END = START + 60 * MIN;

function renderPanel(series: DataFrame[], options: Partial<CorrelationPanelOptions> = {}, timeZone: TimeZone = 'utc') {
  const onChangeTimeRange = jest.fn();
  const publish = jest.fn();
  const timeRange = { from: dateTime(START), to: dateTime(END), raw: { from: dateTime(START), to: dateTime(END) } };
  const props: PanelProps<CorrelationPanelOptions> = {
    id: 1,
    data: { state: LoadingState.Done, series, timeRange },
    timeRange,
    timeZone,
    options: { ...DEFAULT_OPTIONS, ...options },
    transparent: false,
    // plot area: 476 − 64 − 12 = 400 px for 60 minutes
    width: 476,
    height: 300,
    fieldConfig: { defaults: {}, overrides: [] } as FieldConfigSource,
    renderCounter: 0,
    title: 'correlation',
    eventBus: { publish } as unknown as PanelProps['eventBus'],
    onOptionsChange: jest.fn(),
    onFieldConfigChange: jest.fn(),
    replaceVariables: (s: string) => s,
    onChangeTimeRange,
  };
  render(<CorrelationPanel {...props} />);
  return { onChangeTimeRange, publish };
}

const text = (id: string) => screen.getByTestId(id).textContent ?? '';

/** Every y coordinate of an SVG path "M x,y L x,y …". */
function pathYs(id: string): number[] {
  const d = screen.getByTestId(id).getAttribute('d') ?? '';
  return [...d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => Number(m[2]));
}

describe('CorrelationPanel', () => {
  it('shows the step-4 story from two queries: r near 1 at lag 0, volumes close, spike shaded', () => {
    renderPanel(buildTwoQueryFrames());
    expect(text(testIds.legendA)).toContain('MySQL inside');
    expect(text(testIds.legendB)).toContain('ssh out');
    expect(Number(text(testIds.r))).toBeGreaterThanOrEqual(0.9);
    expect(text(testIds.lag)).toBe('0');
    expect(Number(text(testIds.rAtLag))).toBeGreaterThanOrEqual(0.9);
    // the fixture's burst on B is 1.04 × A's on top of a smaller background
    expect(Number(text(testIds.ratioSpikes))).toBeGreaterThan(0.95);
    expect(Number(text(testIds.ratioSpikes))).toBeLessThan(1.1);
    expect(text(testIds.verdict)).toMatch(/^B follows A at lag 0, r = (0\.9\d|1\.00), volumes within \d+% in the spikes$/);
    expect(screen.getByTestId(testIds.verdict)).toHaveAttribute('data-level', 'same-event');

    const windows = screen.getAllByTestId(testIds.spikeWindow);
    expect(windows).toHaveLength(1);
    expect(Number(windows[0].getAttribute('data-from'))).toBe(START + DEFAULT_FIXTURE.spikeAt * MIN);
    expect(Number(windows[0].getAttribute('data-to'))).toBe(START + (DEFAULT_FIXTURE.spikeAt + DEFAULT_FIXTURE.spikeLength) * MIN);
  });

  it('a number option emptied in the editor (undefined) falls back to its default instead of withholding the verdict', () => {
    // Grafana's number editor sets undefined while its input is empty
    renderPanel(buildTwoQueryFrames(), { maxLag: undefined, spikeK: undefined, minPoints: undefined } as unknown as Partial<CorrelationPanelOptions>);
    expect(text(testIds.lag)).toBe('0');
    expect(Number(text(testIds.rAtLag))).toBeGreaterThanOrEqual(0.9);
    expect(screen.getByTestId(testIds.verdict)).toHaveAttribute('data-level', 'same-event');
    expect(screen.getAllByTestId(testIds.spikeWindow)).toHaveLength(1);
  });

  it('draws the two directions of one bidirectional query mirrored: reverse below the axis', () => {
    renderPanel(buildBidirectionalFrames(), { source: SeriesSource.Auto, layout: ChartLayout.Mirrored });
    expect(text(testIds.legendA)).toContain('jump host → db');
    expect(text(testIds.legendB)).toContain('db → jump host');
    expect(text(testIds.verdict)).toMatch(/^B follows A at lag 0/);
    const baseline = (300 - 44 - 8 - 26) / 2 + 8;
    expect(Math.min(...pathYs(testIds.seriesA))).toBeLessThan(baseline);
    expect(Math.max(...pathYs(testIds.seriesA))).toBeLessThanOrEqual(baseline);
    expect(Math.min(...pathYs(testIds.seriesB))).toBeGreaterThanOrEqual(baseline);
    expect(Math.max(...pathYs(testIds.seriesB))).toBeGreaterThan(baseline);
  });

  it('overlays both series above the axis when asked', () => {
    renderPanel(buildBidirectionalFrames(), { layout: ChartLayout.Overlaid });
    const baseline = 300 - 44 - 26;
    expect(Math.max(...pathYs(testIds.seriesB))).toBeLessThanOrEqual(baseline);
    expect(Math.min(...pathYs(testIds.seriesB))).toBeLessThan(baseline - 50);
  });

  it('labels the value axis in the frames’ unit and the time axis in the dashboard time zone', () => {
    renderPanel(buildTwoQueryFrames(), {}, 'utc');
    const svgText = screen.getByTestId(testIds.chart).textContent ?? '';
    expect(svgText).toMatch(/MB/);
    expect(svgText).toContain('12:15');
  });

  it('shows ticks in another zone when the dashboard uses it', () => {
    renderPanel(buildTwoQueryFrames(), {}, 'Asia/Kolkata');
    const svgText = screen.getByTestId(testIds.chart).textContent ?? '';
    expect(svgText).toContain('17:45');
    expect(svgText).not.toContain('12:15');
  });

  it('aligns a 5-minute B onto A’s grid and still finds lag 0', () => {
    renderPanel(buildTwoQueryFrames({ stepFactorB: 5, spikeAt: 40, spikeLength: 5 }));
    expect(Number(text(testIds.r))).toBeGreaterThanOrEqual(0.9);
    expect(text(testIds.lag)).toBe('0');
  });

  it('reports a lag in buckets and time when B trails A', () => {
    renderPanel(buildTwoQueryFrames({ lag: 2 }));
    expect(text(testIds.lag)).toBe('+2 (2m)');
    expect(text(testIds.verdict)).toMatch(/^B follows A at lag 2 \(2m\), r = (0\.9\d|1\.00), volumes within [1-5]% in the spikes$/);
  });

  it('says "not enough data" and shows no numbers when a series is flat', () => {
    const frames = buildTwoQueryFrames();
    const flatB = { ...frames[1], fields: [frames[1].fields[0], { ...frames[1].fields[1], values: frames[1].fields[1].values.map(() => 5) }] };
    renderPanel([frames[0], flatB]);
    expect(text(testIds.r)).toBe('—');
    expect(text(testIds.lag)).toBe('—');
    expect(text(testIds.ratioOverall)).toBe('—');
    expect(text(testIds.verdict)).toBe('Not enough data: B is flat');
    expect(screen.queryAllByTestId(testIds.spikeWindow)).toHaveLength(0);
    expect(screen.getByTestId(testIds.chart)).toBeInTheDocument();
  });

  it('says which query is missing instead of drawing', () => {
    renderPanel(buildTwoQueryFrames().slice(0, 1), { source: SeriesSource.Queries });
    expect(text(testIds.message)).toBe('No data for query B');
    expect(screen.queryByTestId(testIds.chart)).toBeNull();
  });

  it('reads both values at the bucket under the pointer', () => {
    renderPanel(buildTwoQueryFrames({ noise: 0 }));
    // 400 px = 60 min from x = 64: the spike's first bucket (minute 40) is at x ≈ 330.7
    fireEvent.mouseMove(screen.getByTestId(testIds.zoomArea), { clientX: 331 });
    const hover = screen.getByTestId(testIds.hover);
    const line = (which: string) => hover.querySelector(`[data-readout="${which}"]`)?.textContent;
    expect(line('time')).toBe('2026-01-15 12:40:00');
    expect(line('A')).toBe('A (MySQL inside): 402 MB');
    expect(line('B')).toBe('B (ssh out): 416 MB');
    fireEvent.mouseLeave(screen.getByTestId(testIds.zoomArea));
    expect(screen.queryByTestId(testIds.hover)).toBeNull();
  });

  it('sets the dashboard time range from a drag, and ignores a click', () => {
    const { onChangeTimeRange } = renderPanel(buildTwoQueryFrames());
    const area = screen.getByTestId(testIds.zoomArea);
    fireEvent.mouseDown(area, { clientX: 164 });
    fireEvent.mouseMove(area, { clientX: 264 });
    expect(screen.getByTestId(testIds.zoomSelection)).toHaveAttribute('width', '100');
    fireEvent.mouseUp(area, { clientX: 264 });
    // 400 px = 60 min: 100 px from the left edge (64) = 15 min, 200 px = 30 min
    expect(onChangeTimeRange).toHaveBeenCalledWith({ from: START + 15 * MIN, to: START + 30 * MIN });

    fireEvent.mouseDown(area, { clientX: 200 });
    fireEvent.mouseUp(area, { clientX: 201 });
    expect(onChangeTimeRange).toHaveBeenCalledTimes(1);
  });

  it('writes a tiny volume ratio as a fraction, not in exponent notation', () => {
    renderPanel(buildTwoQueryFrames({ volumeRatio: 0.0025, backgroundB: 5_000 }));
    expect(text(testIds.ratioSpikes)).toMatch(/^1\/\d[\d,]*$/);
    expect(screen.getByTestId(testIds.header).textContent).not.toMatch(/\de[-+]\d/);
  });

  it('publishes its findings as data frames on the dashboard event bus', () => {
    const { publish } = renderPanel(buildTwoQueryFrames());
    expect(publish).toHaveBeenCalled();
    const event = publish.mock.calls.at(-1)[0];
    expect(event).toBeInstanceOf(CorrelationFindingsEvent);
    expect(event.type).toBe('flowatlas-correlation-findings');
    expect(event.payload.panelId).toBe(1);
    const [summary, windows] = event.payload.frames;
    const field = (name: string) => summary.fields.find((f: { name: string }) => f.name === name).values[0];
    expect(Number(field('r').toFixed(2))).toBe(Number(text(testIds.r)));
    expect(field('a')).toContain('MySQL inside');
    expect(windows.length).toBe(screen.getAllByTestId(testIds.spikeWindow).length);
  });

  it('copies the findings as text: verdict, numbers and the shaded windows', async () => {
    const writeText = jest.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    Object.defineProperty(window, 'isSecureContext', { value: true, configurable: true });
    const { publish } = renderPanel(buildTwoQueryFrames());
    await act(async () => fireEvent.click(screen.getByTestId(testIds.copyFindings)));
    expect(writeText).toHaveBeenCalledTimes(1);
    const copied: string = writeText.mock.calls[0][0];
    const frames = publish.mock.calls.at(-1)[0].payload.frames;
    expect(copied).toBe(findingsText(frames, { timeZone: 'utc', range: { from: START, to: END } }));
    expect(copied).toContain(`Verdict: ${text(testIds.verdict)}`);
    expect(copied).toMatch(/Joint spike windows .*: 1\n {2}2026-01-15 12:40:00 – 2026-01-15 12:43:00 \(3 bucket\(s\)\)/);
  });

  it('gives the chart the height the header leaves when the header wraps onto more lines', () => {
    // What a narrow panel lays out: the header's items wrap and it grows to 90 px.
    const rect = jest.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
      const height = this.getAttribute('data-testid') === testIds.header ? 90 : 0;
      return { height, width: 0, top: 0, left: 0, bottom: height, right: 0, x: 0, y: 0, toJSON: () => ({}) } as DOMRect;
    });
    try {
      renderPanel(buildTwoQueryFrames());
      expect(screen.getByTestId(testIds.chart)).toHaveAttribute('height', String(300 - 90));
      expect(getComputedStyle(screen.getByTestId(testIds.header).firstElementChild!).flexWrap).toBe('wrap');
    } finally {
      rect.mockRestore();
    }
  });
});
