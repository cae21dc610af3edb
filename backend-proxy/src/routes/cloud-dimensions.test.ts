// Site tenant and role, the Azure resource group and the cloud fields the logs state (account,
// VPC, subnet, instance, cloud region, encryption): stored at ingest, grouped and filtered by
// queries (filterText included), suggested by the values route, listed with their category.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestApp, type TestApp } from '../test-support/app.js';
import { validateNetworkConfig } from '../enrich/networks.js';
import type { Frame } from '../query/types.js';

const networks = validateNetworkConfig({
  sites: [
    { name: 'pay-eastus', kind: 'cloud', provider: 'azure', region: 'eastus', country: 'US', lat: 37, lon: -79, tenant: 'contoso', role: 'production', cidrs: ['10.81.0.0/16'] },
    { name: 'dmz-westeu', kind: 'cloud', provider: 'azure', region: 'westeurope', country: 'NL', lat: 52, lon: 4, tenant: 'fabrikam', role: 'dmz', cidrs: ['10.82.0.0/16'] },
    { name: 'aws-lab', kind: 'cloud', provider: 'aws', region: 'us-west-2', country: 'US', lat: 45, lon: -119, cidrs: ['10.83.0.0/16'] },
  ],
});

let t: TestApp;
const H = 3_600_000;
const T = Math.floor((Date.now() - 2 * H) / 60_000) * 60_000;
const S = T / 1000;

before(async () => {
  t = await openTestApp({}, { networks });
  const nsg = {
    records: [
      {
        time: new Date(T).toISOString(),
        resourceId: '/SUBSCRIPTIONS/SUB-PAY/RESOURCEGROUPS/RG-PAYMENTS/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/NSG-PAY',
        properties: { Version: 2, flows: [{ rule: 'AllowHttps', flows: [{ mac: '000D3A000001', flowTuples: [`${S},10.81.0.4,10.82.0.9,41000,443,T,O,A,E,5,5000,4,4000`] }] }] },
      },
    ],
  };
  const vnet = {
    records: [
      {
        time: new Date(T).toISOString(),
        flowLogVersion: 4,
        macAddress: '00224871C205',
        category: 'FlowLogFlowEvent',
        targetResourceID: '/subscriptions/sub-dmz/resourceGroups/rg-dmz-net/providers/Microsoft.Network/virtualNetworks/vnet-dmz/subnets/snet-web',
        flowRecords: { flows: [{ aclID: 'acl-1', flowGroups: [{ rule: 'AllowWeb', flowTuples: [`${T},10.82.0.9,10.81.0.4,42000,8443,6,O,E,X,2,2000,1,1000`] }] }] },
      },
    ],
  };
  const aws = [
    'version account-id vpc-id subnet-id instance-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status region',
    `5 111122223333 vpc-0abc1234 subnet-0def5678 i-0123456789abcdef0 eni-0aaa 10.83.0.5 10.81.0.4 43000 5432 6 7 700 ${S} ${S + 60} ACCEPT OK us-west-2`,
  ].join('\n');
  for (const [format, body] of [['azure-nsg', JSON.stringify(nsg)], ['azure-vnet', JSON.stringify(vnet)], ['aws-vpc', aws]] as const) {
    const r = await t.app.inject({ method: 'POST', url: `/api/v1/ingest/${format}?source=cloud-dims-${format}`, payload: body, headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().rejected, 0, r.body);
  }
});
after(async () => t.close());

/** A table frame as rows of {field name: value}. */
function rows(frame: Frame): Record<string, unknown>[] {
  const n = frame.fields[0]?.values.length ?? 0;
  return Array.from({ length: n }, (_, i) => Object.fromEntries(frame.fields.map((f) => [f.name, f.values[i]])));
}

async function table(dimensions: string[], filterText?: string): Promise<Record<string, unknown>[]> {
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/query', payload: { from: T - H, to: T + H, mode: 'table', metric: 'bytes', dimensions, ...(filterText ? { filterText } : {}) } });
  assert.equal(r.statusCode, 200, r.body);
  return rows(r.json().frames[0]);
}

test('tenant, role and resource group are stored from the network config and the resource ids', async () => {
  const r = await t.db.pool.query(
    `SELECT source_type, host(src_ip) AS src, src_tenant, dst_tenant, src_role, dst_role, resource_group FROM flows WHERE initiated IS NOT FALSE ORDER BY source_type`,
  );
  assert.deepEqual(r.rows, [
    { source_type: 'aws-vpc', src: '10.83.0.5', src_tenant: null, dst_tenant: 'contoso', src_role: null, dst_role: 'production', resource_group: null },
    { source_type: 'azure-nsg', src: '10.81.0.4', src_tenant: 'contoso', dst_tenant: 'fabrikam', src_role: 'production', dst_role: 'dmz', resource_group: 'RG-PAYMENTS' },
    { source_type: 'azure-vnet', src: '10.82.0.9', src_tenant: 'fabrikam', dst_tenant: 'contoso', src_role: 'dmz', dst_role: 'production', resource_group: 'rg-dmz-net' },
  ]);
});

test('queries group and filter by tenant, role and resource group', async () => {
  const byTenant = await table(['src_tenant', 'dst_role']);
  const find = (src: unknown, dst: unknown) => byTenant.find((x) => x.src_tenant === src && x.dst_role === dst);
  // NSG: 5000 forward (contoso → dmz); VNet: 1000 reverse (contoso → dmz) → 6000 together.
  assert.equal(find('contoso', 'dmz')?.bytes, 6000);
  assert.equal(find('fabrikam', 'production')?.bytes, 2000 + 4000);
  const rg = await table(['resource_group'], 'resource_group = "RG-PAYMENTS" and src_role = production');
  assert.deepEqual(rg.map((x) => [x.resource_group, x.bytes]), [['RG-PAYMENTS', 5000]]);
});

test('the cloud fields the logs state are dimensions: grouped, filtered in filterText, suggested', async () => {
  const aws = await table(['account', 'vpc', 'subnet', 'instance', 'cloud_region'], 'vpc = "vpc-0abc1234" and subnet in ("subnet-0def5678") and instance exists and cloud_region = us-west-2 and account != "0"');
  assert.deepEqual(aws, [{ account: '111122223333', vpc: 'vpc-0abc1234', subnet: 'subnet-0def5678', instance: 'i-0123456789abcdef0', cloud_region: 'us-west-2', bytes: 700 }]);
  const vnet = await table(['encryption', 'vpc', 'subnet'], 'encryption = X');
  assert.deepEqual(vnet.map((x) => [x.encryption, x.vpc, x.subnet]), [['X', 'vnet-dmz', 'snet-web']]);
  // Excluded by a like filter: only the NSG and AWS rows are left.
  const notDmz = await table(['source_type'], 'not vpc like "vnet-%"');
  assert.deepEqual(notDmz.map((x) => x.source_type).sort(), ['aws-vpc', 'azure-nsg']);

  for (const [name, prefix, want] of [
    ['vpc', 'vpc-', ['vpc-0abc1234']],
    ['subnet', 'snet', ['snet-web']],
    ['instance', 'i-', ['i-0123456789abcdef0']],
    ['account', '1111', ['111122223333']],
    ['cloud_region', 'us', ['us-west-2']],
    ['encryption', '', ['X']],
    ['resource_group', 'rg-', ['RG-PAYMENTS', 'rg-dmz-net']],
    ['src_tenant', '', ['contoso', 'fabrikam']],
    ['dst_role', 'd', ['dmz']],
  ] as const) {
    const r = await t.app.inject({ method: 'GET', url: `/api/v1/dimensions/${name}/values?prefix=${prefix}` });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual([...r.json().values].sort(), [...want].sort(), name);
  }
});

test('the filter text grammar takes the new dimensions; the catalogue lists them under cloud & sites / firewall', async () => {
  const names = ['vpc', 'subnet', 'instance', 'account', 'cloud_region', 'encryption', 'resource_group', 'src_tenant', 'dst_tenant', 'src_role', 'dst_role'];
  for (const name of names) {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/filter/validate', payload: { filterText: `${name} = "x" or not ${name} in (a, b)` } });
    assert.equal(r.json().ok, true, `${name}: ${r.body}`);
  }
  const bad = await t.app.inject({ method: 'POST', url: '/api/v1/filter/validate', payload: { filterText: 'vpc > 3' } });
  assert.equal(bad.json().ok, false);
  const catalogue = (await t.app.inject({ method: 'GET', url: '/api/v1/dimensions' })).json() as { name: string; category: string; label: string }[];
  const category = Object.fromEntries(catalogue.map((d) => [d.name, d.category]));
  for (const name of names.filter((n) => n !== 'encryption')) assert.equal(category[name], 'cloud & sites', name);
  assert.equal(category.encryption, 'firewall');
  assert.ok(catalogue.every((d) => d.label && d.label !== d.name), 'every dimension has a label');
});
