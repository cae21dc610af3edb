import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/**
 * Reads the provisioned Grafana alert rules (provisioning/alerting/*.yaml, the only copy of their
 * SQL) and reproduces what Grafana does with a SQL query's rows: table rows → one instance per row
 * (string columns = labels, the one numeric column = value), reduce, threshold. Tests use it to
 * check that each rule fires on the forensic scenario and stays quiet on background traffic.
 */
export const ALERT_RULES_FILE = fileURLToPath(new URL('../../../provisioning/alerting/flowatlas-rules.yaml', import.meta.url));

export type Evaluator = { type: 'gt' | 'lt' | 'within_range' | 'outside_range'; params: number[] };

export interface AlertRule {
  uid: string;
  title: string;
  datasourceUid: string;
  /** The SQL of the data query, with Grafana macros still in it. */
  sql: string;
  format: string;
  /** Seconds back from the evaluation time (relativeTimeRange.from - .to). */
  windowFromSeconds: number;
  windowToSeconds: number;
  evaluator: Evaluator;
}

interface ExprQuery {
  refId: string;
  datasourceUid: string;
  relativeTimeRange?: { from: number; to: number };
  model: Record<string, any>;
}

/** Walks condition → threshold → reduce → data query; refuses shapes this evaluator does not reproduce. */
export function loadAlertRules(file = ALERT_RULES_FILE): AlertRule[] {
  const doc = parse(readFileSync(file, 'utf8'));
  const rules: AlertRule[] = [];
  for (const group of doc.groups ?? []) {
    for (const rule of group.rules ?? []) {
      const byRef = new Map<string, ExprQuery>((rule.data as ExprQuery[]).map((q) => [q.refId, q]));
      const condition = byRef.get(rule.condition);
      if (condition?.model.type !== 'threshold') throw new Error(`${rule.uid}: condition ${rule.condition} is not a threshold`);
      const reduce = byRef.get(condition.model.expression);
      if (reduce?.model.type !== 'reduce') throw new Error(`${rule.uid}: threshold input is not a reduce`);
      const data = byRef.get(reduce.model.expression);
      if (!data || data.datasourceUid === '__expr__') throw new Error(`${rule.uid}: reduce input is not a data query`);
      rules.push({
        uid: rule.uid,
        title: rule.title,
        datasourceUid: data.datasourceUid,
        sql: data.model.rawSql,
        format: data.model.format,
        windowFromSeconds: data.relativeTimeRange?.from ?? 600,
        windowToSeconds: data.relativeTimeRange?.to ?? 0,
        evaluator: condition.model.conditions[0].evaluator,
      });
    }
  }
  return rules;
}

export interface AlertInstance {
  labels: Record<string, string>;
  value: number;
  firing: boolean;
}

/**
 * Grafana's table → numbers conversion: exactly one numeric column; every other column becomes a
 * label; two rows with the same labels are an error (Grafana refuses duplicate series). Reduce on
 * a number is the number itself, so the threshold applies to each row's value.
 */
export function instancesOf(rows: Record<string, unknown>[], evaluator: Evaluator): AlertInstance[] {
  const seen = new Set<string>();
  return rows.map((row) => {
    const numeric = Object.entries(row).filter(([, v]) => typeof v === 'number' || v === null);
    if (numeric.length !== 1) throw new Error(`expected one numeric column, got ${numeric.map(([k]) => k).join(', ') || 'none'}`);
    const labels = Object.fromEntries(Object.entries(row).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    const key = JSON.stringify(labels);
    if (seen.has(key)) throw new Error(`duplicate labels ${key}`);
    seen.add(key);
    const value = numeric[0]![1] as number | null;
    return { labels, value: value ?? NaN, firing: value !== null && crosses(value, evaluator) };
  });
}

function crosses(value: number, e: Evaluator): boolean {
  const [a = 0, b = 0] = e.params;
  switch (e.type) {
    case 'gt':
      return value > a;
    case 'lt':
      return value < a;
    case 'within_range':
      return value > a && value < b;
    case 'outside_range':
      return value < a || value > b;
  }
}
