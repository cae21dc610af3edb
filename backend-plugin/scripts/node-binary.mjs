// Finds a Node binary of this build's Node version for a Linux architecture, to inject the SEA
// blob into. The host's own binary serves its architecture; another architecture's comes from
// the npm registry (the `node-linux-<arch>` packages carry the official release binaries), cached
// under node_modules/.cache so a rebuild does not fetch it again.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Grafana's names (GOARCH) → Node's names and the npm package suffix. */
export const TARGETS = {
  amd64: { nodeArch: 'x64' },
  arm64: { nodeArch: 'arm64' },
};

// Node's sentinel marking an executable as able to carry an SEA blob (see Node's SEA docs).
export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export function hostTarget() {
  if (process.platform !== 'linux') return null;
  return Object.entries(TARGETS).find(([, t]) => t.nodeArch === process.arch)?.[0] ?? null;
}

/**
 * Path of a linux/<target> node binary of process.version: the running one for the host's
 * architecture, else downloaded once from the registry. Throws with the reason when it cannot.
 */
export function nodeBinaryFor(target, cacheRoot) {
  if (target === hostTarget()) return process.execPath;
  const version = process.versions.node;
  const pkg = `node-linux-${TARGETS[target].nodeArch}`;
  const dir = join(cacheRoot, `${pkg}-${version}`);
  const binary = join(dir, 'node');
  if (existsSync(binary)) return binary;
  const scratch = mkdtempSync(join(tmpdir(), 'flowatlas-node-'));
  try {
    // npm pack fetches the tarball through the registry npm is configured for (proxies included).
    const name = execFileSync('npm', ['pack', `${pkg}@${version}`, '--silent', '--pack-destination', scratch], { encoding: 'utf8' }).trim().split('\n').pop();
    execFileSync('tar', ['-xzf', join(scratch, name), '-C', scratch, 'package/bin/node']);
    const fetched = join(scratch, 'package/bin/node');
    if (!readFileSync(fetched).includes(SEA_FUSE)) throw new Error(`${pkg}@${version} has no SEA fuse`);
    mkdirSync(dir, { recursive: true });
    // copied beside, then renamed: a cut-off download never leaves a half binary in the cache
    copyFileSync(fetched, `${binary}.tmp`);
    chmodSync(`${binary}.tmp`, 0o755);
    renameSync(`${binary}.tmp`, binary);
    return binary;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
