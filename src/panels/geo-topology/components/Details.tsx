import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { IconButton, useStyles2 } from '@grafana/ui';
import React from 'react';
import { testIds } from '../testIds';
import { SceneArc, SceneNode } from '../layout/scene';
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
  onClose?: () => void;
}

/** The selected place's (or link's) details, inside the panel so the operator keeps the map in view. */
export function SideCard({ node, link, formatTotal, onClose }: CardProps) {
  const styles = useStyles2(getStyles);
  const n = node && !node.isCluster ? node.members[0] : undefined;
  return (
    <aside className={styles.card} data-testid={testIds.card} aria-label="Selection details">
      {onClose && <IconButton className={styles.close} name="times" size="sm" aria-label="Clear selection" onClick={onClose} />}
      {n && (
        <>
          <h3 className={styles.title}>{n.title}</h3>
          {n.subtitle && <div className={styles.muted}>{n.subtitle}</div>}
          <dl className={styles.list}>
            <dt>Kind</dt>
            <dd>{KIND_LABELS[n.kind]}</dd>
            {n.provider && (
              <>
                <dt>Provider</dt>
                <dd>{n.provider}</dd>
              </>
            )}
            {n.country && (
              <>
                <dt>Country</dt>
                <dd>{n.country}</dd>
              </>
            )}
            {n.cidrs.length > 0 && (
              <>
                <dt>CIDRs</dt>
                <dd>{n.cidrs.join(', ')}</dd>
              </>
            )}
            <dt>Total in</dt>
            <dd>{formatTotal(n.totalIn)}</dd>
            <dt>Total out</dt>
            <dd>{formatTotal(n.totalOut)}</dd>
            {n.details
              .filter((d) => !/^(provider|cidrs?|country|kind)$/i.test(d.label))
              .map((d) => (
                <React.Fragment key={d.label}>
                  <dt>{d.label}</dt>
                  <dd>{d.value}</dd>
                </React.Fragment>
              ))}
          </dl>
        </>
      )}
      {link && <LinkSummary {...link} />}
    </aside>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  card: css({
    position: 'absolute',
    top: theme.spacing(1),
    right: theme.spacing(1),
    maxWidth: 300,
    maxHeight: 'calc(100% - 16px)',
    overflow: 'auto',
    padding: theme.spacing(1, 1.5),
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z2,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  close: css({ position: 'absolute', top: theme.spacing(0.5), right: theme.spacing(0.5) }),
  title: css({ fontSize: theme.typography.h5.fontSize, margin: 0, paddingRight: theme.spacing(3) }),
  muted: css({ color: theme.colors.text.secondary }),
  list: css({
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    columnGap: theme.spacing(1),
    margin: theme.spacing(1, 0, 0),
    dt: { color: theme.colors.text.secondary },
    dd: { margin: 0, wordBreak: 'break-word' },
  }),
});
