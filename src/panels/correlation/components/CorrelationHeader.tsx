import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { ClipboardButton, useStyles2 } from '@grafana/ui';
import React, { forwardRef } from 'react';

import { PanelModel } from '../panelModel';
import { formatDuration, formatR, formatRatio } from '../stats/format';
import { VerdictLevel } from '../stats/verdict';
import { testIds } from './testIds';

interface Props {
  model: PanelModel;
  colorA: string;
  colorB: string;
  /** The findings as text (Copy findings); absent while there is nothing to copy. */
  findings?: () => string;
}

const DASH = '—';

/**
 * The numbers over the chart. Its items wrap onto more lines on a narrow panel (the chart takes
 * what height is left), so nothing is cut off.
 */
export const CorrelationHeader = forwardRef<HTMLDivElement, Props>(function CorrelationHeader({ model, colorA, colorB, findings }, ref) {
  const styles = useStyles2(getStyles);
  const res = model.result;
  const peak = res?.peak ?? null;
  const stepMs = res?.aligned.stepMs ?? 0;
  const lagText = peak ? (peak.lag === 0 ? '0' : `${peak.lag > 0 ? '+' : '−'}${Math.abs(peak.lag)} (${formatDuration(Math.abs(peak.lag) * stepMs)})`) : DASH;
  const ratio = (v: number | null | undefined) => (v === null || v === undefined ? DASH : formatRatio(v));
  const level: VerdictLevel = res?.verdict.level ?? 'not-enough-data';
  const verdict = res?.verdict.text ?? '';

  return (
    <div className={styles.header} data-testid={testIds.header} ref={ref}>
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
          B/A in spikes <b data-testid={testIds.ratioSpikes}>{ratio(res?.volumes.spikes?.ratio)}</b>
        </span>
        <span className={styles.stat} title="Volume of B / volume of A over the visible range">
          B/A overall <b data-testid={testIds.ratioOverall}>{ratio(res?.volumes.overall?.ratio)}</b>
        </span>
        {findings && (
          <ClipboardButton
            className={styles.copy}
            getText={findings}
            icon="copy"
            size="sm"
            variant="secondary"
            fill="text"
            data-testid={testIds.copyFindings}
            tooltip="Copy the verdict, the numbers and the spike windows as text"
          >
            Copy findings
          </ClipboardButton>
        )}
      </div>
      <div className={styles.verdict} data-testid={testIds.verdict} data-level={level} style={{ color: verdictColor(level, styles.theme) }}>
        {verdict}
      </div>
    </div>
  );
});

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
    flex: 'none',
    fontSize: theme.typography.bodySmall.fontSize,
    lineHeight: 1.4,
  }),
  row: css({ display: 'flex', flexWrap: 'wrap', columnGap: theme.spacing(1.5), rowGap: theme.spacing(0.25), alignItems: 'center' }),
  copy: css({ marginLeft: 'auto' }),
  legend: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.5), maxWidth: 220, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }),
  swatch: css({ display: 'inline-block', width: 12, height: 4, borderRadius: 2 }),
  stat: css({ color: theme.colors.text.secondary, whiteSpace: 'nowrap', b: { color: theme.colors.text.primary, fontWeight: theme.typography.fontWeightMedium } }),
  verdict: css({ fontWeight: theme.typography.fontWeightMedium }),
});

/** Height of the header on one line of stats and one of verdict: the chart's height until measured. */
export const HEADER_HEIGHT = 44;
