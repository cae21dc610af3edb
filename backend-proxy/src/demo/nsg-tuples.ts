/** One NSG v2 flow tuple before it is written into a PT1H.json record. */
export interface DemoTuple {
  nsg: string;
  rule: string;
  mac: string;
  /** Epoch seconds. */
  ts: number;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  proto: 'T' | 'U';
  dir: 'I' | 'O';
  action: 'A' | 'D';
  state: 'B' | 'C' | 'E';
  /** [packets s→d, bytes s→d, packets d→s, bytes d→s]; null on B. */
  counters: [number, number, number, number] | null;
}

export function tupleText(t: DemoTuple): string {
  const c = t.counters ? t.counters.join(',') : ',,,';
  return `${t.ts},${t.src},${t.dst},${t.sport},${t.dport},${t.proto},${t.dir},${t.action},${t.state},${c}`;
}

/** Groups tuples into NSG v2 records (one per NSG and minute) inside a {records:[…]} blob. */
export function nsgBlob(tuples: DemoTuple[], subscription: string): string {
  const byRecord = new Map<string, Map<string, Map<string, string[]>>>();
  for (const t of tuples) {
    const minute = Math.floor(t.ts / 60) * 60;
    const key = `${t.nsg}|${minute}`;
    let rules = byRecord.get(key);
    if (!rules) byRecord.set(key, (rules = new Map()));
    let macs = rules.get(t.rule);
    if (!macs) rules.set(t.rule, (macs = new Map()));
    let list = macs.get(t.mac);
    if (!list) macs.set(t.mac, (list = []));
    list.push(tupleText(t));
  }
  const records = [...byRecord.entries()]
    .sort(([a], [b]) => Number(a.split('|')[1]) - Number(b.split('|')[1]))
    .map(([key, rules]) => {
      const [nsg, minute] = key.split('|') as [string, string];
      return {
        time: new Date((Number(minute) + 60) * 1000).toISOString(),
        systemId: '5f2a6c1e-8d3b-4f4e-9a61-flowatlasdemo'.slice(0, 36),
        macAddress: [...rules.values()][0]!.keys().next().value,
        category: 'NetworkSecurityGroupFlowEvent',
        resourceId: `/SUBSCRIPTIONS/${subscription}/RESOURCEGROUPS/FLOWATLAS-DEMO/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/${nsg.toUpperCase()}`,
        operationName: 'NetworkSecurityGroupFlowEvents',
        properties: {
          Version: 2,
          flows: [...rules.entries()].map(([rule, macs]) => ({
            rule,
            flows: [...macs.entries()].map(([mac, flowTuples]) => ({ mac, flowTuples })),
          })),
        },
      };
    });
  return JSON.stringify({ records });
}
