import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React from 'react';
import { Thresholds } from '../layout/thresholds';
import { NOC_FONT } from '../layout/nocStyle';
import { testIds } from '../testIds';
import { NodeKind } from '../types';
import { KIND_LABELS, NodeGlyph } from './NodeGlyph';

interface Props {
  thresholds?: Thresholds;
  formatRate: (v: number) => string;
  resolveColor: (name: string) => string;
  kinds: NodeKind[];
  kindColor: (kind: NodeKind) => string;
  borderColor?: string;
  large: boolean;
}

/** What colours, halos and glyphs mean; "crosses border" always listed when marking is on. */
export function Legend({ thresholds, formatRate, resolveColor, kinds, kindColor, borderColor, large }: Props) {
  const styles = useStyles2(getStyles, large);
  const glyph = large ? NOC_FONT.legend : 14;
  const steps = thresholds?.steps ?? [];
  const percent = thresholds?.mode === 'percentage';
  return (
    <div className={styles.legend} data-testid={testIds.legend} aria-label="Legend">
      {steps.map((s, i) => (
        <span key={i} className={styles.item}>
          <span className={styles.line} style={{ background: resolveColor(s.color) }} />
          {s.value === null || s.value === -Infinity ? 'Base' : `≥ ${percent ? `${s.value}%` : formatRate(s.value)}`}
        </span>
      ))}
      {borderColor && (
        <span className={styles.item}>
          <span className={styles.line} style={{ background: borderColor, boxShadow: `0 0 0 2px ${borderColor}66` }} />
          ◆ crosses border
        </span>
      )}
      {kinds.map((k) => (
        <span key={k} className={styles.item}>
          {/* As tall as the text beside it (28 px on a wall screen). */}
          <svg width={glyph} height={glyph} viewBox="-7 -7 14 14" aria-hidden data-legend-glyph={k}>
            <NodeGlyph kind={k} r={6} fill={kindColor(k)} stroke="currentColor" strokeWidth={large ? 1.2 : 0.8} />
          </svg>
          {KIND_LABELS[k]}
        </span>
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2, large: boolean) => ({
  legend: css({
    position: 'absolute',
    left: theme.spacing(1),
    bottom: theme.spacing(1),
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5, 1.5),
    maxWidth: '70%',
    padding: theme.spacing(0.5, 1),
    background: large ? '#000000d9' : `${theme.colors.background.primary}cc`,
    color: large ? '#ffffff' : undefined,
    borderRadius: theme.shape.radius.default,
    fontSize: large ? NOC_FONT.legend : theme.typography.bodySmall.fontSize,
    fontWeight: large ? theme.typography.fontWeightBold : undefined,
    pointerEvents: 'none',
  }),
  item: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.5), whiteSpace: 'nowrap' }),
  line: css({ display: 'inline-block', width: large ? 40 : 18, height: large ? 8 : 4, borderRadius: 2 }),
});
