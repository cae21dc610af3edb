import { createDataFrame, FieldType, getDefaultTimeRange, LoadingState, PanelProps } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import React from 'react';
import { pointAt } from '../layout/arcs';
import { parseTopologyFrames } from '../layout/parseFrames';
import { fitProjection } from '../layout/projection';
import { arcKey, buildScene } from '../layout/scene';
import { IDENTITY } from '../layout/viewTransform';
import { buildProxyTopologyFrames, buildTopologyFixture, toFrames } from '../fixtures/topologyFrames';
import { NOC_FONT } from '../layout/nocStyle';
import { testIds } from '../testIds';
import { DEFAULT_OPTIONS, FitMode, GeoTopologyOptions, ProjectionKind } from '../types';
import { GeoTopologyPanel } from './GeoTopologyPanel';

const WIDTH = 1000;
const HEIGHT = 500;

function panelProps(series = buildTopologyFixture().frames, options: Partial<GeoTopologyOptions> = {}) {
  return {
    id: 1,
    data: { series, state: LoadingState.Done, timeRange: getDefaultTimeRange() },
    timeRange: getDefaultTimeRange(),
    timeZone: 'utc',
    options: { ...DEFAULT_OPTIONS, animate: false, ...options },
    fieldConfig: { defaults: {}, overrides: [] },
    width: WIDTH,
    height: HEIGHT,
    transparent: false,
    renderCounter: 0,
    title: 'Map',
    eventBus: { publish: jest.fn(), getStream: jest.fn(), subscribe: jest.fn(), removeAllListeners: jest.fn(), newScopedBus: jest.fn() },
    onOptionsChange: jest.fn(),
    onFieldConfigChange: jest.fn(),
    onChangeTimeRange: jest.fn(),
    replaceVariables: (s: string) => s,
  } as unknown as PanelProps<GeoTopologyOptions>;
}

function renderPanel(series = buildTopologyFixture().frames, options: Partial<GeoTopologyOptions> = {}) {
  return render(<GeoTopologyPanel {...panelProps(series, options)} />);
}

const translate = (el: Element) => el.getAttribute('transform')!.match(/translate\(([-\d.e]+),([-\d.e]+)\)/)!.slice(1).map(Number);

/** Where the panel draws an arc: the same pure pipeline the panel runs, for pointing at it. */
function arcMidpoint(from: string, to: string, options: Partial<GeoTopologyOptions> = {}, frames = buildTopologyFixture().frames) {
  const parsed = parseTopologyFrames(frames);
  const projection = fitProjection({ kind: DEFAULT_OPTIONS.projection, fit: DEFAULT_OPTIONS.fit, width: WIDTH, height: HEIGHT, padding: 12 });
  const scene = buildScene({
    model: parsed.model,
    project: (c) => projection(c),
    transform: IDENTITY,
    width: WIDTH,
    height: HEIGHT,
    options: { ...DEFAULT_OPTIONS, ...options },
    expanded: new Set(),
    resolveColor: (c) => c,
    fontSize: 12,
  });
  return pointAt(scene.arcByKey.get(arcKey(from, to))!.arc, 0.5);
}

describe('GeoTopologyPanel', () => {
  beforeEach(() => locationService.push('/d/flows'));

  it('draws every place of the fixture as a node with its glyph', () => {
    renderPanel(undefined, { clusterRadius: 0 });
    for (const id of ['azure-eastus', 'azure-westeurope', 'aws-us-west-2', 'dc-chicago', 'branch-london', 'CN']) {
      expect(screen.getByTestId(testIds.node(id))).toBeInTheDocument();
    }
    expect(screen.getByTestId(testIds.node('azure-eastus')).querySelector('[data-kind="cloud-region"]')).not.toBeNull();
    expect(screen.getByTestId(testIds.node('dc-chicago')).querySelector('[data-kind="data-center"]')).not.toBeNull();
    expect(screen.getByTestId(testIds.node('CN')).querySelector('[data-kind="internet-country"]')).not.toBeNull();
    expect(screen.getByText('azure-eastus')).toBeInTheDocument();
  });

  it('draws both directions of the exfil link, marked as crossing a border', () => {
    renderPanel();
    const links = screen.getByTestId(testIds.links);
    const out = links.querySelector(`[data-arc="${arcKey('azure-eastus', 'CN')}"]`)!;
    const back = links.querySelector(`[data-arc="${arcKey('CN', 'azure-eastus')}"]`)!;
    expect(out.textContent).toBe('azure-eastus → China: 48 Mb/s, crosses border');
    expect(back.textContent).toBe('China → azure-eastus: 600 kb/s, crosses border');
    const chicago = links.querySelector(`[data-arc="${arcKey('dc-chicago', 'azure-eastus')}"]`)!;
    expect(chicago.getAttribute('data-crosses-border')).toBe('false');
    expect(within(screen.getByTestId(testIds.legend)).getByText(/crosses border/)).toBeInTheDocument();
  });

  it('shows both directions, flows and applications when hovering an arc', () => {
    renderPanel();
    const mid = arcMidpoint('azure-eastus', 'CN');
    fireEvent.mouseMove(screen.getByTestId(testIds.overlay), { clientX: mid.x, clientY: mid.y, buttons: 0 });
    const tooltip = screen.getByTestId(testIds.tooltip);
    expect(tooltip).toHaveTextContent('azure-eastus → China: 48 Mb/s');
    expect(tooltip).toHaveTextContent('China → azure-eastus: 600 kb/s');
    expect(tooltip).toHaveTextContent('412 flows both ways');
    expect(tooltip).toHaveTextContent('Top applications: ssh');
    expect(tooltip).toHaveTextContent('Crosses an international border');
  });

  it('sets the node variable on click, shows the details card, and clears on a second click', () => {
    renderPanel();
    const node = screen.getByTestId(testIds.node('azure-eastus'));
    fireEvent.click(node);
    expect(locationService.getSearchObject()['var-site']).toBe('azure-eastus');
    const card = screen.getByTestId(testIds.card);
    expect(card).toHaveTextContent('Azure eastus (Virginia)');
    expect(card).toHaveTextContent('10.10.0.0/16');
    expect(card).toHaveTextContent(/Total in/);
    expect(card).toHaveTextContent(/Total out\s*\d/);
    fireEvent.click(node);
    // back to All: a key removed from the URL would leave the dashboard's variable as it was
    expect(locationService.getSearchObject()['var-site']).toBe('$__all');
    expect(screen.queryByTestId(testIds.card)).toBeNull();
  });

  it('sets src/dst variables from the clicked arc direction, using configured names', () => {
    renderPanel(undefined, { srcVariable: 'from', dstVariable: 'to' });
    const mid = arcMidpoint('azure-eastus', 'CN');
    fireEvent.click(screen.getByTestId(testIds.overlay), { clientX: mid.x, clientY: mid.y });
    expect(locationService.getSearchObject()).toMatchObject({ 'var-from': 'azure-eastus', 'var-to': 'CN' });
    expect(screen.getByTestId(testIds.card)).toHaveTextContent('China → azure-eastus');
    fireEvent.click(screen.getByTestId(testIds.overlay), { clientX: mid.x, clientY: mid.y });
    expect(locationService.getSearchObject()).toMatchObject({ 'var-from': '$__all', 'var-to': '$__all' });
  });

  it('opens a cluster of nearby places on click', () => {
    renderPanel(undefined, { clusterRadius: 60 });
    const cluster = screen.getByRole('button', { name: /^Cluster of .*dc-chicago/ });
    expect(screen.queryByTestId(testIds.node('dc-chicago'))).toBeNull();
    fireEvent.click(cluster);
    expect(screen.getByTestId(testIds.node('dc-chicago'))).toBeInTheDocument();
    expect(locationService.getSearchObject()['var-site']).toBeUndefined();
  });

  it('draws Node Graph frames and reports rows it cannot place', () => {
    const nodes = createDataFrame({
      name: 'nodes',
      fields: [
        { name: 'id', type: FieldType.string, values: ['fra', 'nyc', 'lost'] },
        { name: 'title', type: FieldType.string, values: ['Frankfurt', 'New York', 'Lost'] },
        { name: 'latitude', type: FieldType.number, values: [50.11, 40.71, null] },
        { name: 'longitude', type: FieldType.number, values: [8.68, -74.0, null] },
      ],
    });
    const edges = createDataFrame({
      name: 'edges',
      fields: [
        { name: 'id', type: FieldType.string, values: ['1', '2'] },
        { name: 'source', type: FieldType.string, values: ['fra', 'nyc'] },
        { name: 'target', type: FieldType.string, values: ['nyc', 'fra'] },
        { name: 'mainstat', type: FieldType.number, values: [5, 3] },
      ],
    });
    renderPanel([nodes, edges]);
    expect(screen.getByTestId(testIds.node('fra'))).toBeInTheDocument();
    expect(screen.getByTestId(testIds.links).querySelectorAll('li')).toHaveLength(2);
    expect(screen.getByTestId(testIds.warnings)).toHaveTextContent('lost (nodes row 2)');
  });

  it('zooms at the cursor with the wheel, pans by dragging, and resets on double-click', () => {
    renderPanel(undefined, { clusterRadius: 0 });
    const overlay = screen.getByTestId(testIds.overlay);
    const position = () => screen.getByTestId(testIds.node('azure-eastus')).getAttribute('transform');
    const start = position();
    fireEvent.wheel(overlay, { deltaY: -300, clientX: 300, clientY: 150 });
    const zoomed = position();
    expect(zoomed).not.toBe(start);
    fireEvent.mouseDown(overlay, { clientX: 400, clientY: 200, buttons: 1 });
    fireEvent.mouseMove(overlay, { clientX: 440, clientY: 230, buttons: 1 });
    fireEvent.mouseUp(overlay, { clientX: 440, clientY: 230 });
    const panned = position();
    expect(panned).not.toBe(zoomed);
    const xy = (t: string | null) => t!.match(/translate\(([-\d.]+),([-\d.]+)\)/)!.slice(1).map(Number);
    expect(xy(panned)[0] - xy(zoomed)[0]).toBeCloseTo(40, 0);
    expect(xy(panned)[1] - xy(zoomed)[1]).toBeCloseTo(30, 0);
    fireEvent.doubleClick(overlay);
    expect(position()).toBe(start);
  });

  it('zooms with the wheel when the data arrives after the first render (no overlay at mount)', () => {
    // A dashboard renders the panel before its query has answered: no data, no overlay yet.
    const view = render(<GeoTopologyPanel {...panelProps([], { clusterRadius: 0 })} />);
    expect(screen.queryByTestId(testIds.overlay)).toBeNull();
    view.rerender(<GeoTopologyPanel {...panelProps(undefined, { clusterRadius: 0 })} />);
    const position = () => screen.getByTestId(testIds.node('azure-eastus')).getAttribute('transform');
    const start = position();
    const wheel = new WheelEvent('wheel', { deltaY: -300, clientX: 300, clientY: 150, bubbles: true, cancelable: true });
    fireEvent(screen.getByTestId(testIds.overlay), wheel);
    expect(position()).not.toBe(start);
    // Non-passive: the dashboard does not scroll while the map zooms.
    expect(wheel.defaultPrevented).toBe(true);
    // And again after the data goes away and comes back (the overlay is a new element).
    view.rerender(<GeoTopologyPanel {...panelProps([], { clusterRadius: 0 })} />);
    view.rerender(<GeoTopologyPanel {...panelProps(undefined, { clusterRadius: 0 })} />);
    const before = position();
    fireEvent.wheel(screen.getByTestId(testIds.overlay), { deltaY: -300, clientX: 300, clientY: 150 });
    expect(position()).not.toBe(before);
  });

  it('draws, animates and hit-tests only the directions that carry traffic (0 B is not an arc)', () => {
    renderPanel(buildProxyTopologyFrames(), { clusterRadius: 0 });
    const links = screen.getByTestId(testIds.links);
    expect([...links.querySelectorAll('li')].map((li) => li.getAttribute('data-arc')).sort()).toEqual([arcKey('azure-eastus', 'DE'), arcKey('azure-eastus', 'US')]);
    expect(links).toHaveTextContent('azure-eastus → DE: 527 MB, crosses border');
    // The tooltip still tells both directions, the silent one as "no traffic".
    const arc = [...links.querySelectorAll('li')].find((li) => li.getAttribute('data-arc') === arcKey('azure-eastus', 'DE'))!;
    expect(arc).toBeDefined();
    const mid = arcMidpoint('azure-eastus', 'DE', { clusterRadius: 0 }, buildProxyTopologyFrames());
    fireEvent.mouseMove(screen.getByTestId(testIds.overlay), { clientX: mid.x, clientY: mid.y, buttons: 0 });
    const tooltip = screen.getByTestId(testIds.tooltip);
    expect(tooltip).toHaveTextContent('azure-eastus → DE: 527 MB');
    expect(tooltip).toHaveTextContent('DE → azure-eastus: no traffic');
    expect(tooltip).toHaveTextContent('412 flows both ways');
  });

  it("shows a place's card from the proxy's frames: provider, region, CIDRs, totals once, flows as a count", () => {
    renderPanel(buildProxyTopologyFrames(), { clusterRadius: 0 });
    fireEvent.click(screen.getByTestId(testIds.node('azure-eastus')));
    const card = screen.getByTestId(testIds.card);
    const rows = [...card.querySelectorAll('dt')].map((dt) => `${dt.textContent}: ${dt.nextElementSibling?.textContent}`);
    expect(rows).toEqual([
      'Kind: Cloud region',
      'Provider: azure',
      'Region: eastus',
      'Country: US',
      'CIDRs: 10.10.0.0/16, 10.11.0.0/16',
      'Total in: 0 B',
      'Total out: 527 MB',
      'Flows: 415',
    ]);
    expect(within(card).getByRole('heading')).toHaveTextContent('azure-eastus');
    // "azure eastus" only repeated provider and region.
    expect(card).not.toHaveTextContent('azure eastus');
  });

  it('follows the dashboard variables when they change elsewhere (variable picker, another panel)', () => {
    renderPanel(undefined, { clusterRadius: 0 });
    expect(screen.queryByTestId(testIds.card)).toBeNull();
    act(() => locationService.partial({ 'var-site': 'dc-chicago' }));
    expect(screen.getByTestId(testIds.card)).toHaveTextContent('dc-chicago');
    expect(screen.getByTestId(testIds.node('dc-chicago'))).toHaveAttribute('aria-pressed', 'true');
    act(() => locationService.partial({ 'var-site': null, 'var-src_site': 'azure-eastus', 'var-dst_site': 'CN' }));
    expect(screen.getByTestId(testIds.card)).toHaveTextContent('azure-eastus → China');
    act(() => locationService.partial({ 'var-src_site': null, 'var-dst_site': null }));
    expect(screen.queryByTestId(testIds.card)).toBeNull();
  });

  it('keeps a selection without a variable name when something else in the URL changes', () => {
    renderPanel(undefined, { clusterRadius: 0, nodeVariable: '' });
    fireEvent.click(screen.getByTestId(testIds.node('dc-chicago')));
    expect(screen.getByTestId(testIds.card)).toHaveTextContent('dc-chicago');
    act(() => locationService.partial({ from: 'now-6h' }));
    expect(screen.getByTestId(testIds.card)).toHaveTextContent('dc-chicago');
  });

  it.each([false, true])('fits to places without cutting the outermost glyphs at the panel edge (NOC %s)', (nocMode) => {
    // Equirectangular: the westmost and eastmost places sit exactly on the fitted extent.
    renderPanel(undefined, { fit: FitMode.Nodes, projection: ProjectionKind.Equirectangular, clusterRadius: 0, nocMode });
    const r = DEFAULT_OPTIONS.maxNodeRadius * (nocMode ? 1.5 : 1);
    const positions = [...document.querySelectorAll('[data-node]')].map(translate);
    expect(positions.length).toBeGreaterThan(5);
    for (const [x, y] of positions) {
      expect(x).toBeGreaterThanOrEqual(r);
      expect(x).toBeLessThanOrEqual(WIDTH - r);
      expect(y).toBeGreaterThanOrEqual(r);
      expect(y).toBeLessThanOrEqual(HEIGHT - r);
    }
  });

  it('dims the arc layer and draws the hovered arcs above it, instead of redrawing every arc', () => {
    renderPanel();
    const layer = screen.getByTestId(testIds.arcLayer);
    expect(layer.style.opacity).toBe('1');
    const mid = arcMidpoint('azure-eastus', 'CN');
    fireEvent.mouseMove(screen.getByTestId(testIds.overlay), { clientX: mid.x, clientY: mid.y, buttons: 0 });
    expect(Number(layer.style.opacity)).toBeLessThan(0.5);
    fireEvent.mouseLeave(screen.getByTestId(testIds.overlay));
    expect(layer.style.opacity).toBe('1');
  });

  it('explains what it needs when there is no topology data', () => {
    renderPanel([]);
    expect(screen.getByTestId(testIds.panel)).toHaveTextContent(/nodes frame with latitude\/longitude/);
  });

  it('says there is no traffic, not what frames it needs, when the topology answer is empty', () => {
    // what the data source returns for a filter nothing matches: both frames, no rows
    renderPanel(toFrames([], []));
    expect(screen.getByTestId(testIds.panel)).toHaveTextContent(/^No traffic between places matches the query in this time range\.$/);
  });

  it('uses wall-sized labels, legend glyphs as tall as their text and a large card in NOC wall mode', () => {
    renderPanel(undefined, { nocMode: true, clusterRadius: 0 });
    expect(screen.getByText('azure-eastus').getAttribute('style')).toContain(`font-size: ${NOC_FONT.label}px`);
    const legend = screen.getByTestId(testIds.legend);
    expect(getComputedStyle(legend).fontSize).toBe(`${NOC_FONT.legend}px`);
    for (const glyph of legend.querySelectorAll('[data-legend-glyph]')) {
      expect(glyph.getAttribute('height')).toBe(String(NOC_FONT.legend));
    }
    fireEvent.click(screen.getByTestId(testIds.node('azure-eastus')));
    expect(getComputedStyle(screen.getByTestId(testIds.card)).fontSize).toBe(`${NOC_FONT.card}px`);
    expect(screen.queryByLabelText('Clear selection')).toBeNull();
  });
});
