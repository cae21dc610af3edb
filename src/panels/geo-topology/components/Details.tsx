import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { IconButton, useStyles2 } from '@grafana/ui';
import React from 'react';
import { testIds } from '../testIds';
import { NOC_FONT } from '../layout/nocStyle';
import { SceneArc, SceneNode } from '../layout/scene';
import { TopologyNode } from '../types';
import { KIND_LABELS } from './NodeGlyph';

export type Format = (value: number) => string;

interface DirectionProps {
  arc?: SceneArc;
  fromTitle: string;
  toTitle: string;
  formatRate: Format;
}

function DirectionRow({ arc, fromTitle, toTitle, formatRate }: DirectionProps) {
  return (
    <div data-direction={`${fromTitle}→${toTitle}`}>
      <strong>
        {fromTitle} → {toTitle}
      </strong>
      {': '}
      {arc ? formatRate(arc.value) : 'no traffic'}
      {arc?.flows !== undefined && ` · ${arc.flows.toLocaleString('en-US')} flows`}
      {arc && arc.apps.length > 0 && <div>Top applications: {arc.apps.slice(0, 5).join(', ')}</div>}
    </div>
  );
}

const titleOf = (n: SceneNode | undefined) => (n ? (n.isCluster ? `${n.members.length} places` : n.members[0].title) : '?');

export interface LinkProps {
  arc: SceneArc;
  reverse?: SceneArc;
  from?: SceneNode;
  to?: SceneNode;
  formatRate: Format;
  /** Total flows for the pair when the data has no per-direction count. */
  pairFlows?: number;
  borderColor: string;
}

/** Both directions of a link, side by side, whichever of the two arcs was pointed at. */
export function LinkSummary({ arc, reverse, from, to, formatRate, pairFlows, borderColor }: LinkProps) {
  return (
    <div>
      <DirectionRow arc={arc} fromTitle={titleOf(from)} toTitle={titleOf(to)} formatRate={formatRate} />
      <DirectionRow arc={reverse} fromTitle={titleOf(to)} toTitle={titleOf(from)} formatRate={formatRate} />
      {arc.flows === undefined && pairFlows !== undefined && <div>{pairFlows.toLocaleString('en-US')} flows both ways</div>}
      {(arc.crossesBorder || reverse?.crossesBorder) && <div style={{ color: borderColor, fontWeight: 500 }}>Crosses an international border</div>}
    </div>
  );
}

interface NodeProps {
  node: SceneNode;
  formatTotal: Format;
}

export function NodeSummary({ node, formatTotal }: NodeProps) {
  if (node.isCluster) {
    return (
      <div>
        <strong>{node.members.length} places here</strong> (click to open)
        <div>{node.members.map((m) => m.title).join(', ')}</div>
      </div>
    );
  }
  const n = node.members[0];
  return (
    <div>
      <strong>{n.title}</strong> · {KIND_LABELS[n.kind]}
      <div>
        In {formatTotal(n.totalIn)} · Out {formatTotal(n.totalOut)}
      </div>
    </div>
  );
}

interface CardProps {
  node?: SceneNode;
  link?: LinkProps;
  formatTotal: Format;
  /** NOC wall mode: text sized to be read across the room. */
  large?: boolean;
  onClose?: () => void;
}

/** Rows the card shows for a place, in this order; details already shown as a row are left out. */
export function nodeCardRows(n: TopologyNode, formatTotal: Format): Array<[string, string]> {
  const rows: Array<[string, string | undefined]> = [
    ['Kind', KIND_LABELS[n.kind]],
    ['Provider', n.provider],
    ['Region', n.region],
    ['Country', n.country],
    ['CIDRs', n.cidrs.length > 0 ? n.cidrs.join(', ') : undefined],
    ['Total in', formatTotal(n.totalIn)],
    ['Total out', formatTotal(n.totalOut)],
    // A count, whatever unit the panel gives traffic.
    ['Flows', n.flows !== undefined ? Math.round(n.flows).toLocaleString('en-US') : undefined],
  ];
  const shown = new Set(rows.filter(([, v]) => v !== undefined).map(([k]) => k.toLowerCase()));
  const extra = n.details.filter((d) => !shown.has(d.label.toLowerCase()) && !/^(provider|region|cidrs?|country|kind|flows)$/i.test(d.label));
  return [...rows, ...extra.map((d): [string, string] => [d.label, d.value])].filter((r): r is [string, string] => r[1] !== undefined);
}

/** A subtitle that only repeats provider and region ("azure eastus") adds nothing to the card. */
const repeatsWhere = (n: TopologyNode) =>
  !!n.subtitle && n.subtitle.trim().toLowerCase() === [n.provider, n.region].filter(Boolean).join(' ').toLowerCase();

/** The selected place's (or link's) details, inside the panel so the operator keeps the map in view. */
export function SideCard({ node, link, formatTotal, large = false, onClose }: CardProps) {
  const styles = useStyles2(getStyles, large);
  const n = node && !node.isCluster ? node.members[0] : undefined;
  return (
    <aside className={styles.card} data-testid={testIds.card} aria-label="Selection details">
      {onClose && <IconButton className={styles.close} name="times" size="sm" aria-label="Clear selection" onClick={onClose} />}
      {n && (
        <>
          <h3 className={styles.title}>{n.title}</h3>
          {n.subtitle && !repeatsWhere(n) && <div className={styles.muted}>{n.subtitle}</div>}
          <dl className={styles.list}>
            {nodeCardRows(n, formatTotal).map(([label, value]) => (
              <React.Fragment key={label}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </React.Fragment>
            ))}
          </dl>
        </>
      )}
      {link && <LinkSummary {...link} />}
    </aside>
  );
}

const getStyles = (theme: GrafanaTheme2, large: boolean) => ({
  card: css({
    position: 'absolute',
    top: theme.spacing(1),
    right: theme.spacing(1),
    maxWidth: large ? 520 : 300,
    maxHeight: 'calc(100% - 16px)',
    overflow: 'auto',
    padding: large ? theme.spacing(1.5, 2) : theme.spacing(1, 1.5),
    background: large ? '#000000' : theme.colors.background.secondary,
    color: large ? '#ffffff' : undefined,
    border: large ? '2px solid #ffffff' : `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z2,
    fontSize: large ? NOC_FONT.card : theme.typography.bodySmall.fontSize,
    lineHeight: 1.3,
  }),
  close: css({ position: 'absolute', top: theme.spacing(0.5), right: theme.spacing(0.5) }),
  title: css({
    fontSize: large ? NOC_FONT.card * 1.2 : theme.typography.h5.fontSize,
    fontWeight: theme.typography.fontWeightBold,
    margin: 0,
    paddingRight: large ? 0 : theme.spacing(3),
  }),
  muted: css({ color: large ? '#d8dce3' : theme.colors.text.secondary }),
  list: css({
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    columnGap: theme.spacing(large ? 2 : 1),
    margin: theme.spacing(1, 0, 0),
    dt: { color: large ? '#d8dce3' : theme.colors.text.secondary },
    dd: { margin: 0, wordBreak: 'break-word', fontWeight: large ? theme.typography.fontWeightBold : undefined },
  }),
});
