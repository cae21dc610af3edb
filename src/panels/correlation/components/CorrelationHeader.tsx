import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React from 'react';

import { PanelModel } from '../panelModel';
import { formatDuration, formatR, formatRatio } from '../stats/format';
import { VerdictLevel } from '../stats/verdict';
import { testIds } from './testIds';

interface Props {
  model: PanelModel;
  colorA: string;
  colorB: string;
}

const DASH = '—';

export function CorrelationHeader({ model, colorA, colorB }: Props) {
  const styles = useStyles2(getStyles);
  const res = model.result;
  const peak = res?.peak ?? null;
  const stepMs = res?.aligned.stepMs ?? 0;
  const lagText = peak ? (peak.lag === 0 ? '0' : `${peak.lag > 0 ? '+' : '−'}${Math.abs(peak.lag)} (${formatDuration(Math.abs(peak.lag) * stepMs)})`) : DASH;
  const ratio = (v: number | null | undefined) => (v === null || v === undefined ? DASH : formatRatio(v));
  const level: VerdictLevel = res?.verdict.level ?? 'not-enough-data';
  const verdict = res?.verdict.text ?? '';

  return (
    <div className={styles.header} data-testid={testIds.header}>
      <div className={styles.row}>
        <span className={styles.legend} data-testid={testIds.legendA} title={model.a?.name}>
          <span className={styles.swatch} style={{ background: colorA }} />A {model.a?.name ?? DASH}
        </span>
        <span className={styles.legend} data-testid={testIds.legendB} title={model.b?.name}>
          <span className={styles.swatch} style={{ background: colorB }} />B {model.b?.name ?? DASH}
        </span>
        <span className={styles.stat}>
          r <b data-testid={testIds.r}>{res?.r !== null && res?.r !== undefined ? formatR(res.r) : DASH}</b>
        </span>
        <span className={styles.stat} title="Lag in buckets where cross-correlation peaks (positive: B later)">
          lag <b data-testid={testIds.lag}>{lagText}</b>
        </span>
        <span className={styles.stat}>
          r@lag <b data-testid={testIds.rAtLag}>{peak ? formatR(peak.r) : DASH}</b>
        </span>
        <span className={styles.stat} title="Volume of B / volume of A over the joint spike windows">
          B/A spikes <b data-testid={testIds.ratioSpikes}>{ratio(res?.volumes.spikes?.ratio)}</b>
        </span>
        <span className={styles.stat} title="Volume of B / volume of A over the visible range">
          overall <b data-testid={testIds.ratioOverall}>{ratio(res?.volumes.overall?.ratio)}</b>
        </span>
      </div>
      <div className={styles.verdict} data-testid={testIds.verdict} data-level={level} style={{ color: verdictColor(level, styles.theme) }}>
        {verdict}
      </div>
    </div>
  );
}

function verdictColor(level: VerdictLevel, theme: GrafanaTheme2): string {
  switch (level) {
    case 'same-event':
      return theme.colors.success.text;
    case 'correlated':
    case 'weak':
    case 'anti-correlated':
      return theme.colors.warning.text;
    default:
      return theme.colors.text.secondary;
  }
}

const getStyles = (theme: GrafanaTheme2) => ({
  theme,
  header: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.25),
    padding: theme.spacing(0, 0.5, 0.5),
    height: HEADER_HEIGHT,
    overflow: 'hidden',
    fontSize: theme.typography.bodySmall.fontSize,
    lineHeight: 1.4,
  }),
  row: css({ display: 'flex', flexWrap: 'nowrap', overflow: 'hidden', columnGap: theme.spacing(1.5), alignItems: 'center' }),
  legend: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.5), maxWidth: 220, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }),
  swatch: css({ display: 'inline-block', width: 12, height: 4, borderRadius: 2 }),
  stat: css({ color: theme.colors.text.secondary, whiteSpace: 'nowrap', b: { color: theme.colors.text.primary, fontWeight: theme.typography.fontWeightMedium } }),
  verdict: css({ fontWeight: theme.typography.fontWeightMedium, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }),
});

export const HEADER_HEIGHT = 44;
