import { css, cx } from '@emotion/css';
import { Field, formattedValueToString, getDisplayProcessor, GrafanaTheme2, PanelProps } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { useStyles2, useTheme2 } from '@grafana/ui';
import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { animatedArcs, BaseMapPaths, DEFAULT_DETAIL_LIMIT, drawArcs, drawBaseMap, drawFlowDashes, MapColors, prepareBaseMap } from '../layout/draw';
import { svgPath } from '../layout/arcs';
import { parseTopologyFrames } from '../layout/parseFrames';
import { NOC_FONT, NOC_MAP } from '../layout/nocStyle';
import { fitPadding, fitProjection } from '../layout/projection';
import { arcKey, buildScene, hitTestArcs, NOC_SCALE, SceneArc, SceneNode } from '../layout/scene';
import { sameSelection, Selection, selectionFromQuery, selectionQueryKey, selectionToQuery, toggleSelection } from '../layout/selection';
import { Thresholds } from '../layout/thresholds';
import { IDENTITY, panBy, ViewTransform, wheelFactor, zoomAround } from '../layout/viewTransform';
import { testIds } from '../testIds';
import { GeoTopologyOptions, NodeKind, Point } from '../types';
import { LinkProps, LinkSummary, NodeSummary, SideCard } from './Details';
import { usePrefersReducedMotion } from './hooks';
import { Legend } from './Legend';
import { KIND_COLORS, NodeGlyph } from './NodeGlyph';

type Props = PanelProps<GeoTopologyOptions>;

type Hover = { type: 'node'; id: string; at: Point } | { type: 'arc'; key: string; at: Point } | null;

/** Pixels a press may move and still count as a click rather than a drag. */
const CLICK_SLOP = 4;
/** Cap on the screen-reader list of links, which mirrors what the canvas draws. */
const MAX_LISTED_LINKS = 500;
/** Busiest arcs that get moving dashes (the same ones drawn in full); animating thousands would cost a CPU core on a wall screen. */
const MAX_ANIMATED_ARCS = DEFAULT_DETAIL_LIMIT;
/** Quiet time after the last drag/wheel event before the full-quality arcs are drawn again. */
const SETTLE_MS = 150;
/**
 * Opacity of the arc layer while something is hovered or selected: the highlighted arcs are drawn
 * on a layer of their own, so hovering redraws a handful of arcs instead of thousands (0.25 / 0.9,
 * the alpha ratio of a dimmed to a normal arc).
 */
const DIMMED_LAYER_OPACITY = 0.28;

function formatterFor(field: Field | undefined, theme: GrafanaTheme2) {
  if (!field) {
    return (v: number) => v.toLocaleString('en-US');
  }
  const display = field.display ?? getDisplayProcessor({ field, theme });
  return (v: number) => formattedValueToString(display(v));
}

export function GeoTopologyPanel({ data, width, height, options, fieldConfig }: Props) {
  const theme = useTheme2();
  const noc = options.nocMode;
  const styles = useStyles2(getStyles, noc);
  const reducedMotion = usePrefersReducedMotion();
  const baseCanvas = useRef<HTMLCanvasElement>(null);
  const arcCanvas = useRef<HTMLCanvasElement>(null);
  const highlightCanvas = useRef<HTMLCanvasElement>(null);
  const flowCanvas = useRef<HTMLCanvasElement>(null);
  const settleTimer = useRef<ReturnType<typeof setTimeout>>();
  const [interacting, setInteracting] = useState(false);
  const markInteraction = useCallback(() => {
    setInteracting(true);
    clearTimeout(settleTimer.current);
    settleTimer.current = setTimeout(() => setInteracting(false), SETTLE_MS);
  }, []);
  useEffect(() => () => clearTimeout(settleTimer.current), []);
  const overlay = useRef<SVGSVGElement | null>(null);
  const drag = useRef<{ start: Point; last: Point; moved: boolean } | null>(null);

  const parsed = useMemo(
    () => parseTopologyFrames(data.series, { format: (f, v) => (typeof v === 'number' ? formatterFor(f, theme)(v) : String(v)) }),
    [data.series, theme]
  );
  const { model } = parsed;
  const formatRate = useMemo(() => formatterFor(parsed.rateFieldAB, theme), [parsed.rateFieldAB, theme]);
  const formatTotal = useMemo(() => formatterFor(parsed.totalField ?? parsed.rateFieldAB, theme), [parsed, theme]);
  const thresholds = (parsed.rateFieldAB?.config.thresholds ?? fieldConfig.defaults.thresholds) as Thresholds | undefined;
  const resolveColor = useCallback((name: string) => theme.visualization.getColorByName(name), [theme]);
  const kindColor = useCallback(
    (kind: NodeKind) => (KIND_COLORS[kind] === 'text' ? theme.colors.text.secondary : resolveColor(KIND_COLORS[kind])),
    [theme, resolveColor]
  );
  const borderColor = resolveColor(options.borderColor || 'purple');

  const fontSize = noc ? NOC_FONT.label : 12;
  const coordinatesKey = model.nodes.map((n) => `${n.lon},${n.lat}`).join(';');
  // Fitting to places leaves room for the outermost glyphs and a line of label beside them.
  const padding = fitPadding({ fit: options.fit, maxNodeRadius: options.maxNodeRadius * (noc ? NOC_SCALE : 1), fontSize });
  const projection = useMemo(
    () =>
      fitProjection({
        kind: options.projection,
        fit: options.fit,
        width,
        height,
        padding,
        coordinates: model.nodes.map((n) => [n.lon, n.lat] as [number, number]),
      }),
    // Refit only when the panel size, the projection options or the places change, not on every refresh.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [width, height, options.projection, options.fit, padding, coordinatesKey]
  );
  // One function per projection: the scene caches node positions by it.
  const project = useCallback((c: [number, number]) => projection(c), [projection]);
  const [transform, setTransform] = useState<ViewTransform>(IDENTITY);
  useEffect(() => setTransform(IDENTITY), [projection]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [selection, setSelection] = useState<Selection>(() => selectionFromQuery(locationService.getSearchObject(), options));
  const [hover, setHover] = useState<Hover>(null);

  // The selection follows the dashboard variables wherever they change (variable picker, another
  // panel, back/forward): Grafana keeps them in the URL, so the panel listens to the location.
  const { nodeVariable, srcVariable, dstVariable } = options;
  useEffect(() => {
    const names = { nodeVariable, srcVariable, dstVariable };
    let seen: string | undefined;
    const follow = () => {
      const search = locationService.getSearchObject();
      const key = selectionQueryKey(search, names);
      if (key !== seen) {
        seen = key;
        const next = selectionFromQuery(search, names);
        setSelection((current) => (sameSelection(current, next) ? current : next));
      }
    };
    const subscription = locationService.getLocationObservable().subscribe(follow);
    return () => subscription.unsubscribe();
  }, [nodeVariable, srcVariable, dstVariable]);

  const scene = useMemo(
    () =>
      buildScene({
        model,
        project,
        transform,
        width,
        height,
        options,
        expanded,
        thresholds,
        configMin: parsed.rateFieldAB?.config.min,
        configMax: parsed.rateFieldAB?.config.max,
        resolveColor,
        fontSize,
      }),
    [model, project, transform, width, height, options, expanded, thresholds, parsed.rateFieldAB, resolveColor, fontSize]
  );

  const mapColors: MapColors = noc
    ? NOC_MAP
    : {
        background: theme.colors.background.primary,
        land: theme.isDark ? '#262a33' : '#e4e7ec',
        borders: theme.colors.border.medium,
      };
  const basePaths = useMemo<BaseMapPaths>(() => prepareBaseMap(projection), [projection]);
  const dpr = typeof window !== 'undefined' ? window.devicePixelRatio || 1 : 1;

  useEffect(() => {
    const ctx = baseCanvas.current?.getContext('2d');
    if (ctx) {
      drawBaseMap(ctx, basePaths, transform, width, height, dpr, mapColors);
    }
    // mapColors is derived from theme and noc.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [basePaths, transform, width, height, dpr, theme, noc]);

  const highlight = useMemo(() => {
    const keys = new Set<string>();
    const add = (arc?: SceneArc) => arc && keys.add(arc.key) && keys.add(arc.reverseKey);
    if (hover?.type === 'arc') {
      add(scene.arcByKey.get(hover.key));
    }
    if (selection?.type === 'edge') {
      add(scene.arcByKey.get(arcKey(selection.from, selection.to)));
    }
    const focusNode = hover?.type === 'node' ? hover.id : selection?.type === 'node' ? selection.id : undefined;
    if (focusNode) {
      scene.arcs.filter((a) => a.from === focusNode || a.to === focusNode).forEach((a) => keys.add(a.key));
    }
    return keys;
  }, [hover, selection, scene]);

  // While dragging or zooming, cheap 1 px arcs; the full drawing follows once the map is still.
  const quality = interacting ? 'fast' : 'full';
  useEffect(() => {
    const ctx = arcCanvas.current?.getContext('2d');
    if (ctx) {
      drawArcs(ctx, scene.arcs, width, height, dpr, { markBorderCrossing: options.markBorderCrossing, borderColor, quality });
    }
  }, [scene, width, height, dpr, options.markBorderCrossing, borderColor, quality]);

  // Hovered/selected arcs on their own layer above the (then dimmed) arc layer.
  const highlighted = useMemo(() => scene.arcs.filter((a) => highlight.has(a.key)), [scene, highlight]);
  useEffect(() => {
    const ctx = highlightCanvas.current?.getContext('2d');
    if (ctx) {
      drawArcs(ctx, highlighted, width, height, dpr, { markBorderCrossing: options.markBorderCrossing, borderColor, quality, detailLimit: Infinity });
    }
  }, [highlighted, width, height, dpr, options.markBorderCrossing, borderColor, quality]);

  const animate = options.animate && !reducedMotion && !interacting;
  const flowColor = noc || theme.isDark ? '#ffffff' : '#000000';
  useEffect(() => {
    const ctx = flowCanvas.current?.getContext('2d');
    if (!ctx) {
      return;
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    if (!animate || typeof requestAnimationFrame === 'undefined') {
      return;
    }
    // Only the dash layer is redrawn per frame, outside React: arcs, nodes and labels stay as they are.
    // Frames are paced by how long a draw takes, so a slow machine skips frames instead of saturating.
    const moving = animatedArcs(scene.arcs, MAX_ANIMATED_ARCS, highlight);
    let frame = 0;
    let next = 0;
    const start = performance.now();
    const tick = (now: number) => {
      if (now >= next) {
        drawFlowDashes(ctx, moving, width, height, dpr, { offset: ((now - start) / 1000) * 24, color: flowColor });
        const cost = performance.now() - now;
        next = now + Math.max(0, cost * 3 - 16);
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [scene, width, height, dpr, animate, highlight, flowColor]);

  const select = useCallback(
    (clicked: Selection) => {
      const next = toggleSelection(selection, clicked);
      setSelection(next);
      locationService.partial(selectionToQuery(next, options), true);
    },
    [selection, options]
  );

  const openClusters = useCallback((ids: string[]) => {
    setExpanded((prev) => {
      const next = new Set(prev);
      ids.forEach((id) => (next.has(id) ? next.delete(id) : next.add(id)));
      return next;
    });
  }, []);

  const onNodeClick = (node: SceneNode) => {
    if (drag.current?.moved) {
      return;
    }
    if (node.isCluster) {
      openClusters([node.id]);
    } else {
      select({ type: 'node', id: node.id });
    }
  };

  const localPoint = (e: { clientX: number; clientY: number }): Point => {
    const rect = overlay.current?.getBoundingClientRect();
    return { x: e.clientX - (rect?.left ?? 0), y: e.clientY - (rect?.top ?? 0) };
  };

  // Wheel zoom needs a non-passive listener to stop the dashboard from scrolling, so React's onWheel
  // will not do. It is attached by a callback ref whenever the overlay mounts: the overlay does not
  // exist while there is no data (first render), and an effect run on mount would miss it.
  const panelSize = useRef({ width, height });
  panelSize.current = { width, height };
  const detachWheel = useRef<() => void>();
  const overlayRef = useCallback(
    (el: SVGSVGElement | null) => {
      detachWheel.current?.();
      detachWheel.current = undefined;
      overlay.current = el;
      if (!el) {
        return;
      }
      const onWheel = (e: WheelEvent) => {
        e.preventDefault();
        const rect = el.getBoundingClientRect();
        const at = { x: e.clientX - rect.left, y: e.clientY - rect.top };
        const size = panelSize.current;
        markInteraction();
        setTransform((t) => zoomAround(t, at, wheelFactor(e.deltaY, e.deltaMode), size.width, size.height));
      };
      el.addEventListener('wheel', onWheel, { passive: false });
      detachWheel.current = () => el.removeEventListener('wheel', onWheel);
    },
    [markInteraction]
  );

  const onMouseDown = (e: React.MouseEvent) => {
    const p = localPoint(e);
    drag.current = { start: p, last: p, moved: false };
  };
  const onMouseMove = (e: React.MouseEvent) => {
    const p = localPoint(e);
    const d = drag.current;
    if (d && e.buttons === 1) {
      if (!d.moved && Math.hypot(p.x - d.start.x, p.y - d.start.y) > CLICK_SLOP) {
        d.moved = true;
      }
      if (d.moved) {
        const dx = p.x - d.last.x;
        const dy = p.y - d.last.y;
        markInteraction();
        setTransform((t) => panBy(t, dx, dy, width, height));
        d.last = p;
        setHover(null);
        return;
      }
    }
    if ((e.target as Element).closest?.('[data-node]')) {
      return;
    }
    const arc = hitTestArcs(scene.arcs, p, noc ? 8 : 5);
    setHover(arc ? { type: 'arc', key: arc.key, at: p } : null);
  };
  const onMouseUp = () => {
    // Keep `moved` until the click event that follows has been seen.
    setTimeout(() => (drag.current = null), 0);
  };
  const onBackgroundClick = (e: React.MouseEvent) => {
    if (drag.current?.moved) {
      return;
    }
    const arc = hitTestArcs(scene.arcs, localPoint(e), noc ? 8 : 5);
    if (!arc) {
      return;
    }
    const clusters = [arc.from, arc.to].filter((id) => scene.nodeById.get(id)?.isCluster);
    if (clusters.length > 0) {
      openClusters(clusters);
    } else {
      select({ type: 'edge', from: arc.from, to: arc.to });
    }
  };

  const linkDetails = (arc: SceneArc): LinkProps => ({
    arc,
    reverse: scene.arcByKey.get(arc.reverseKey),
    from: scene.nodeById.get(arc.from),
    to: scene.nodeById.get(arc.to),
    formatRate,
    pairFlows: arc.links.length === 1 ? arc.links[0].flows : undefined,
    borderColor,
  });

  const hoveredArc = hover?.type === 'arc' ? scene.arcByKey.get(hover.key) : undefined;
  const hoveredNode = hover?.type === 'node' ? scene.nodeById.get(hover.id) : undefined;
  const selectedNode = selection?.type === 'node' ? scene.nodeById.get(selection.id) : undefined;
  const selectedArc = selection?.type === 'edge' ? scene.arcByKey.get(arcKey(selection.from, selection.to)) : undefined;
  const kinds = [...new Set(model.nodes.map((n) => n.kind))].sort();
  const labelById = new Map(scene.labels.map((l) => [l.id, l]));

  if (model.nodes.length === 0 && parsed.hasNodesFrame && model.warnings.length === 0) {
    return (
      <div className={styles.empty} data-testid={testIds.panel}>
        No traffic between places matches the query in this time range.
      </div>
    );
  }
  if (model.nodes.length === 0) {
    return (
      <div className={styles.empty} data-testid={testIds.panel}>
        No topology data: the query must return a nodes frame with latitude/longitude (and an edges frame with source/target).
        {model.warnings.map((w) => (
          <div key={w}>{w}</div>
        ))}
      </div>
    );
  }

  const canvasProps = { width: Math.round(width * dpr), height: Math.round(height * dpr), style: { width, height } };
  return (
    <div className={cx(styles.wrapper, noc && styles.noc)} style={{ width, height }} data-testid={testIds.panel}>
      <canvas ref={baseCanvas} className={styles.layer} {...canvasProps} aria-hidden />
      <canvas
        ref={arcCanvas}
        className={styles.layer}
        {...canvasProps}
        style={{ ...canvasProps.style, opacity: highlight.size > 0 ? DIMMED_LAYER_OPACITY : 1 }}
        data-testid={testIds.arcLayer}
        aria-hidden
      />
      <canvas ref={highlightCanvas} className={styles.layer} {...canvasProps} aria-hidden />
      <canvas ref={flowCanvas} className={styles.layer} {...canvasProps} aria-hidden />
      <svg
        ref={overlayRef}
        className={styles.layer}
        width={width}
        height={height}
        data-testid={testIds.overlay}
        onMouseDown={onMouseDown}
        onMouseMove={onMouseMove}
        onMouseUp={onMouseUp}
        onMouseLeave={() => setHover(null)}
        onClick={onBackgroundClick}
        onDoubleClick={() => setTransform(IDENTITY)}
        role="img"
        aria-label="Traffic map"
      >
        {hoveredArc && <path d={svgPath(hoveredArc.arc)} className={styles.arcHighlight} strokeWidth={hoveredArc.width + 4} />}
        {scene.nodes
          .filter((n) => n.anchor)
          .map((n) => (
            <line key={`leader-${n.id}`} x1={n.anchor!.x} y1={n.anchor!.y} x2={n.x} y2={n.y} className={styles.leader} />
          ))}
        {scene.nodes.map((n) => {
          const selected = selectedNode?.id === n.id;
          const label = labelById.get(n.id);
          const title = n.isCluster ? `${n.members.length} places` : n.members[0].title;
          return (
            <g
              key={n.id}
              data-node={n.id}
              data-testid={testIds.node(n.id)}
              transform={`translate(${n.x},${n.y})`}
              className={styles.node}
              role="button"
              tabIndex={0}
              aria-label={n.isCluster ? `Cluster of ${title}: ${n.members.map((m) => m.title).join(', ')}` : title}
              aria-pressed={selected}
              onClick={(e) => {
                e.stopPropagation();
                onNodeClick(n);
              }}
              onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && onNodeClick(n)}
              onMouseEnter={(e) => setHover({ type: 'node', id: n.id, at: localPoint(e) })}
              onMouseLeave={() => setHover(null)}
            >
              {n.isCluster ? (
                <>
                  <circle r={n.r} className={styles.cluster} />
                  <text className={styles.clusterCount} dy="0.35em">
                    {n.members.length}
                  </text>
                </>
              ) : (
                <NodeGlyph
                  kind={n.members[0].kind}
                  r={n.r}
                  fill={kindColor(n.members[0].kind)}
                  stroke={selected ? theme.colors.primary.main : noc ? '#ffffff' : theme.colors.background.primary}
                  strokeWidth={selected ? 3 : 1.2}
                />
              )}
              {label && (
                <text
                  className={styles.label}
                  x={label.x - n.x}
                  y={label.y - n.y}
                  dy="0.35em"
                  textAnchor={label.anchor}
                  style={{ fontSize }}
                >
                  {label.text}
                </text>
              )}
            </g>
          );
        })}
      </svg>

      {hover && (hoveredArc || hoveredNode) && (
        <div
          className={styles.tooltip}
          data-testid={testIds.tooltip}
          style={{
            left: Math.min(hover.at.x + 14, Math.max(0, width - (noc ? 520 : 260))),
            top: Math.min(hover.at.y + 14, Math.max(0, height - (noc ? 240 : 120))),
          }}
        >
          {hoveredArc ? <LinkSummary {...linkDetails(hoveredArc)} /> : <NodeSummary node={hoveredNode!} formatTotal={formatTotal} />}
        </div>
      )}

      {(selectedNode || selectedArc) && (
        <SideCard
          node={selectedNode}
          link={selectedArc ? linkDetails(selectedArc) : undefined}
          formatTotal={formatTotal}
          large={noc}
          onClose={noc ? undefined : () => select(selection)}
        />
      )}

      {options.showLegend && (
        <Legend
          thresholds={thresholds}
          formatRate={formatRate}
          resolveColor={resolveColor}
          kinds={kinds}
          kindColor={kindColor}
          borderColor={options.markBorderCrossing ? borderColor : undefined}
          large={noc}
        />
      )}

      {!noc && model.warnings.length > 0 && (
        <div className={styles.warnings} data-testid={testIds.warnings} title={model.warnings.join('\n')}>
          {model.warnings.join(' · ')}
        </div>
      )}

      <ul className={styles.visuallyHidden} aria-label="Links" data-testid={testIds.links}>
        {scene.arcs.slice(0, MAX_LISTED_LINKS).map((a) => (
          <li key={a.key} data-arc={a.key} data-crosses-border={a.crossesBorder}>
            {`${scene.nodeById.get(a.from)?.members.map((m) => m.title).join(' + ')} → ${scene.nodeById
              .get(a.to)
              ?.members.map((m) => m.title)
              .join(' + ')}: ${formatRate(a.value)}${a.flows !== undefined ? `, ${a.flows} flows` : ''}${
              a.crossesBorder ? ', crosses border' : ''
            }`}
          </li>
        ))}
        {scene.arcs.length > MAX_LISTED_LINKS && <li>{scene.arcs.length - MAX_LISTED_LINKS} more links</li>}
      </ul>
    </div>
  );
}


const getStyles = (theme: GrafanaTheme2, noc: boolean) => ({
  wrapper: css({ position: 'relative', overflow: 'hidden', userSelect: 'none', color: theme.colors.text.primary }),
  noc: css({ background: '#000000', color: '#ffffff' }),
  layer: css({ position: 'absolute', top: 0, left: 0, touchAction: 'none' }),
  node: css({ cursor: 'pointer', outline: 'none', '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}` } }),
  cluster: css({
    fill: theme.colors.background.secondary,
    stroke: noc ? '#ffffff' : theme.colors.text.secondary,
    strokeWidth: 1.5,
  }),
  clusterCount: css({
    fill: noc ? '#ffffff' : theme.colors.text.primary,
    fontSize: noc ? NOC_FONT.clusterCount : 11,
    fontWeight: theme.typography.fontWeightBold,
    textAnchor: 'middle',
    pointerEvents: 'none',
  }),
  label: css({
    fill: noc ? '#ffffff' : theme.colors.text.primary,
    fontWeight: noc ? theme.typography.fontWeightBold : theme.typography.fontWeightMedium,
    // A halo in the background colour keeps labels legible over arcs and coastlines.
    paintOrder: 'stroke',
    stroke: noc ? '#000000' : theme.colors.background.primary,
    strokeWidth: noc ? 6 : 3,
    strokeLinejoin: 'round',
    pointerEvents: 'none',
  }),
  leader: css({ stroke: theme.colors.text.secondary, strokeDasharray: '2 2' }),
  arcHighlight: css({ fill: 'none', stroke: theme.colors.text.primary, strokeOpacity: 0.35, pointerEvents: 'none' }),
  tooltip: css({
    position: 'absolute',
    maxWidth: noc ? 560 : 320,
    padding: theme.spacing(0.75, 1),
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z3,
    fontSize: noc ? NOC_FONT.tooltip : theme.typography.bodySmall.fontSize,
    pointerEvents: 'none',
  }),
  warnings: css({
    position: 'absolute',
    right: theme.spacing(1),
    bottom: theme.spacing(1),
    maxWidth: '40%',
    color: theme.colors.warning.text,
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  }),
  empty: css({ padding: theme.spacing(2), color: theme.colors.text.secondary }),
  visuallyHidden: css({
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  }),
});
