import { FilterRule } from '../../src/shared/flowQuery';
import { defaultFlowQuery } from '../../src/shared/flowQuery';
import { FlowQuery } from '../../src/datasource/types';
import { PlaygroundVariable } from './runtime/templateSrv';
import forensics from '../../provisioning/dashboards/flow-forensics.json';

export type PanelKind = 'table' | 'timeseries' | 'geo' | 'correlation';

/** Where a preset puts the time range: the whole demo, or around the exfiltration peak. */
export type PresetRange = { kind: 'relative'; from: string } | { kind: 'around-peak'; of: FlowQuery; beforeMin: number; afterMin: number };

export interface Preset {
  step: number;
  title: string;
  /** What the operator should read off the panel (forensic-scenario.md). */
  question: string;
  panel: PanelKind;
  queries: FlowQuery[];
  range: PresetRange;
  panelOptions?: Record<string, unknown>;
}

/** The Flow forensics dashboard's own query of a variable: the presets follow what it finds. */
function forensicsQuery(name: string): string {
  const query = forensics.templating.list.find((v) => v.name === name)?.query;
  if (!query) {
    throw new Error(`flow-forensics.json has no query variable ${name}`);
  }
  return query;
}

/**
 * Dashboard variables of the forensic story, resolved by the data source like Grafana's query
 * variables: the inside host the internet tried ssh on most, then its top ssh source from
 * outside (inside admins reach it over ssh too, more often over three weeks). The queries are
 * the Flow forensics dashboard's. Nothing here knows an address.
 */
export const STORY_VARIABLES: Array<Omit<PlaygroundVariable, 'options' | 'current'>> = [
  { name: 'jump_host', label: 'Jump host', query: forensicsQuery('jump_host') },
  { name: 'suspect', label: 'Suspect source', query: forensicsQuery('suspect') },
];

const rule = (dimension: string, op: FilterRule['op'], ...values: string[]): FilterRule => ({ dimension, op, values });

function query(refId: string, patch: Partial<FlowQuery>): FlowQuery {
  return { ...defaultFlowQuery(), refId, ...patch } as FlowQuery;
}

const MYSQL_INTO_JUMP_HOST = query('A', {
  mode: 'timeseries',
  metric: 'bytes',
  dimensions: [],
  filter: { op: 'and', rules: [rule('src_port', '=', '3306'), rule('dst_ip', '=', '$jump_host')] },
  topN: 5,
});

/**
 * Step 4 in bidirectional mode, as the scenario says: one query for the jump host's two sessions,
 * MySQL from the inside host and ssh from the suspect. Its forward series is what came into the
 * jump host (the MySQL pull), its reverse twin (src/dst swapped) what went back out of it on the
 * same sessions (the ssh upload to the suspect): the correlation panel compares the two directions.
 */
const JUMP_HOST_SESSIONS_BOTH_WAYS = query('A', {
  mode: 'timeseries',
  metric: 'bytes',
  dimensions: [],
  alias: 'into $jump_host',
  filter: {
    op: 'and',
    rules: [
      rule('dst_ip', '=', '$jump_host'),
      { op: 'or', rules: [rule('src_port', '=', '3306'), { op: 'and', rules: [rule('src_ip', '=', '$suspect'), rule('dst_port', '=', '22')] }] },
    ],
  },
  bidirectional: true,
  topN: 5,
});

/** The event window: 90 minutes before the MySQL pull (login and scan) to an hour after it. */
const AROUND_EXFIL: PresetRange = { kind: 'around-peak', of: MYSQL_INTO_JUMP_HOST, beforeMin: 90, afterMin: 60 };
const LAST_3_WEEKS: PresetRange = { kind: 'relative', from: 'now-21d' };

export const PRESETS: Preset[] = [
  {
    step: 1,
    title: 'Who attacked',
    question: 'ssh attempts to the jump host by source address and country: one source dominates.',
    panel: 'table',
    range: LAST_3_WEEKS,
    queries: [
      query('A', {
        mode: 'table',
        metric: 'flows',
        aggregation: 'total',
        dimensions: ['src_ip', 'src_country'],
        // attempts from the internet: the admins' own ssh sessions from inside are not the attack
        filter: { op: 'and', rules: [rule('dst_port', '=', '22'), rule('dst_ip', '=', '$jump_host'), rule('src_inside', '=', 'outside')] },
        topN: 20,
        other: true,
      }),
    ],
  },
  {
    step: 2,
    title: 'The successful login',
    question: 'Flows from the suspect by bytes: one ssh session moved far more data than the failed attempts.',
    panel: 'table',
    range: LAST_3_WEEKS,
    queries: [
      query('A', {
        mode: 'table',
        metric: 'bytes',
        aggregation: 'total',
        dimensions: ['src_ip', 'src_port', 'dst_ip', 'dst_port'],
        filter: { op: 'and', rules: [rule('src_ip', '=', '$suspect')] },
        topN: 10,
      }),
    ],
  },
  {
    step: 3,
    title: 'Lateral movement',
    question: 'What the jump host touched next (attacker excluded): one inside host, many ports, little data, then MySQL.',
    panel: 'table',
    range: AROUND_EXFIL,
    queries: [
      query('A', {
        mode: 'table',
        metric: 'unique_dst_ports',
        aggregation: 'total',
        dimensions: ['dst_ip'],
        filter: { op: 'and', rules: [rule('src_ip', '=', '$jump_host'), rule('dst_ip', '!=', '$suspect'), rule('direction', '=', 'outbound')] },
        topN: 10,
      }),
      query('B', {
        mode: 'table',
        metric: 'bytes',
        aggregation: 'total',
        // What came back to the jump host, by inside host and service port: the MySQL pull.
        dimensions: ['src_ip', 'src_port'],
        filter: { op: 'and', rules: [rule('dst_ip', '=', '$jump_host'), rule('src_ip', '!=', '$suspect')] },
        topN: 5,
      }),
    ],
  },
  {
    step: 4,
    title: 'Exfiltration',
    question:
      "The jump host's MySQL and ssh sessions in bidirectional mode: in over MySQL (A, forward) and out over ssh to the suspect (B, reverse) spike together, r near 1 at lag 0, volumes within ~10%.",
    panel: 'correlation',
    range: AROUND_EXFIL,
    queries: [JUMP_HOST_SESSIONS_BOTH_WAYS],
    panelOptions: { source: 'directions', directionRefId: 'A', directionForA: 'forward' },
  },
  {
    step: 5,
    title: 'Data left the country',
    question: 'Traffic from the jump host by site and country: the arc from azure-eastus abroad is marked as crossing a border.',
    panel: 'geo',
    range: AROUND_EXFIL,
    queries: [
      query('A', {
        mode: 'topology',
        metric: 'bytes',
        level: 'site',
        dimensions: [],
        filter: { op: 'and', rules: [rule('src_ip', '=', '$jump_host')] },
        topN: 50,
      }),
    ],
    panelOptions: { fit: 'nodes' },
  },
];
