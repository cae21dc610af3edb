import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchNetworkConfig } from './network-config-watch.js';
import { Enricher } from './enricher.js';
import type { FlowRecord } from '../model/flow-row.js';

const site = (name: string, cidr: string) => `sites:\n  - name: ${name}\n    kind: datacenter\n    country: DE\n    lat: 50\n    lon: 8\n    cidrs: ["${cidr}"]\n`;
const row: FlowRecord = {
  startMs: 0, endMs: 0, srcIp: '10.1.2.3', dstIp: '192.0.2.1', srcPort: 40000, dstPort: 443, protocol: 6, direction: null, action: null,
  flowState: null, packets: 1, bytes: 1, flows: 1, initiated: true, sourceType: 'ndjson', resource: null, resourceGroup: null, rule: null, mac: null,
  tcpFlags: null, encryption: null, account: null, vpc: null, subnet: null, instance: null, cloudRegion: null,
};

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(check(), what);
}

test('the network config reloads when the file is replaced (rename over it), and a broken save keeps the last good one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowatlas-networks-'));
  const path = join(dir, 'networks.yaml');
  writeFileSync(path, site('old-dc', '10.0.0.0/8'));
  const errors: string[] = [];
  const watch = watchNetworkConfig(path, { info: () => undefined, error: (m) => errors.push(m) }, 20);
  try {
    const enrichers = new Map<object, Enricher>();
    // As the app does: a new Enricher (with an empty cache) whenever the config object changes.
    const enrich = () => {
      const networks = watch.current();
      if (!enrichers.has(networks)) enrichers.set(networks, new Enricher(networks, null));
      return enrichers.get(networks)!.enrich(row);
    };
    assert.equal(enrich().srcSite, 'old-dc');

    // Editors save by writing a new file and renaming it over the old one.
    writeFileSync(join(dir, 'tmp.yaml'), site('new-dc', '10.1.0.0/16'));
    renameSync(join(dir, 'tmp.yaml'), path);
    await until(() => watch.current().sites[0]?.name === 'new-dc', 'reloaded after rename');
    assert.equal(enrich().srcSite, 'new-dc', 'the next rows take the new site');

    writeFileSync(path, 'sites:\n  - name: broken\n    country: nowhere\n');
    await until(() => errors.length > 0, 'the broken file is reported');
    assert.match(errors[0]!, /sites\[0\]\.country/);
    assert.equal(watch.current().sites[0]?.name, 'new-dc', 'the last good config stays in force');

    writeFileSync(path, site('fixed-dc', '10.1.2.0/24'));
    await until(() => watch.current().sites[0]?.name === 'fixed-dc', 'reloaded after the fix');
    assert.equal(enrich().srcSite, 'fixed-dc');
  } finally {
    watch.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
