import assert from 'node:assert/strict';
import { test } from 'node:test';
import { candidatePorts, checkHandshakeEnv, handshakeLine } from './handshake';

test('refuses to run without the magic cookie Grafana sets', () => {
  const check = checkHandshakeEnv({ PLUGIN_PROTOCOL_VERSIONS: '2' });
  assert.equal(check.ok, false);
  assert.match((check as { message: string }).message, /not meant to be run directly/);
});

test('accepts protocol 2 among the offered versions, refuses when it is not offered', () => {
  assert.deepEqual(checkHandshakeEnv({ grafana_plugin_type: 'datasource', PLUGIN_PROTOCOL_VERSIONS: '1,2', PLUGIN_MIN_PORT: '5000', PLUGIN_MAX_PORT: '5009' }), {
    ok: true,
    env: { minPort: 5000, maxPort: 5009 },
  });
  assert.equal(checkHandshakeEnv({ grafana_plugin_type: 'datasource', PLUGIN_PROTOCOL_VERSIONS: '1' }).ok, false);
  assert.equal(checkHandshakeEnv({ grafana_plugin_type: 'datasource', PLUGIN_MIN_PORT: '9', PLUGIN_MAX_PORT: '8' }).ok, false);
});

test('the handshake line and the port order', () => {
  assert.equal(handshakeLine(12345), '1|2|tcp|127.0.0.1:12345|grpc\n');
  const ports = candidatePorts({ minPort: 10, maxPort: 14 }, () => 0.5);
  assert.deepEqual(ports, [12, 13, 14, 10, 11]);
});
