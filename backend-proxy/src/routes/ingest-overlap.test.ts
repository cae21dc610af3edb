import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestApp, type TestApp } from '../test-support/app.js';

let t: TestApp;
before(async () => {
  t = await openTestApp();
});
after(async () => {
  await t.close();
});

const T = Math.floor(Date.now() / 1000) - 3 * 3600;
const tuples = Array.from({ length: 20 }, (_, i) => ({ src: `10.10.1.${i + 10}`, dst: '10.10.2.5', sp: 40000 + i, ts: T + i * 7 }));

function nsgBlob(nsg: string): string {
  return JSON.stringify({
    records: [{
      time: new Date(T * 1000).toISOString(),
      resourceId: `/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/${nsg}`,
      properties: { Version: 2, flows: [{ rule: 'AllowVnet', flows: [{ mac: '000D3A000001', flowTuples: tuples.map((x) => `${x.ts},${x.src},${x.dst},${x.sp},443,T,O,A,B,,,,`) }] }] },
    }],
  });
}

function vnetBlob(subnet: string, shift = 0): string {
  return JSON.stringify({
    records: [{
      time: new Date(T * 1000).toISOString(),
      flowLogVersion: 4,
      targetResourceID: `/subscriptions/S/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-east/subnets/${subnet}`,
      flowRecords: { flows: [{ aclID: 'acl', flowGroups: [{ rule: 'AllowVnet', flowTuples: tuples.map((x) => `${(x.ts + shift) * 1000},${x.src},${x.dst},${x.sp + shift},443,6,O,B,NX,,,,`) }] }] },
    }],
  });
}

async function ingest(format: string, source: string, body: string): Promise<void> {
  const r = await t.app.inject({ method: 'POST', url: `/api/v1/ingest/${format}?source=${source}`, payload: body, headers: { 'content-type': 'application/json' } });
  assert.equal(r.statusCode, 200, r.body);
}

test('the same subnet logged by an NSG flow log and a VNet flow log is reported as duplicated logging', async () => {
  const report = async () => (await t.app.inject({ method: 'GET', url: `/api/v1/ingest/duplicate-logging?from=${(T - 3600) * 1000}&to=${(T + 3600) * 1000}` })).json();
  await ingest('azure-nsg', 'nsg/web.json', nsgBlob('EASTUS-WEB-NSG'));
  // Another subnet's VNet flow log with different connections: no overlap.
  await ingest('azure-vnet', 'vnet/other.json', vnetBlob('snet-other', 1));
  assert.deepEqual((await report()).pairs, []);
  assert.equal((await report()).duplicated, false);

  await ingest('azure-vnet', 'vnet/web.json', vnetBlob('snet-web'));
  const r = await report();
  assert.equal(r.duplicated, true);
  assert.match(r.advice, /disable one of them/);
  assert.deepEqual(r.pairs.map((p: Record<string, unknown>) => [p.nsg, p.vnetFlowLogTarget, p.virtualNetwork, p.subnet, p.matchedConnections, p.share, p.duplicated]), [['EASTUS-WEB-NSG', 'snet-web', 'vnet-east', 'snet-web', 20, 1, true]]);

  const bad = await t.app.inject({ method: 'GET', url: '/api/v1/ingest/duplicate-logging?from=yesterday' });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().field, 'from');
  const impossible = await t.app.inject({ method: 'GET', url: '/api/v1/ingest/duplicate-logging?from=2026-02-30T00:00:00Z' });
  assert.equal(impossible.statusCode, 400);
  assert.equal(impossible.json().field, 'from');
});
