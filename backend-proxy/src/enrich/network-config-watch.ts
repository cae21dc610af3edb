import { statSync, type Stats } from 'node:fs';
import { loadNetworkConfig, type NetworkConfig } from './networks.js';

export interface NetworkConfigWatch {
  /** The config in force: the last one that loaded without error. */
  current(): NetworkConfig;
  stop(): void;
}

/** What identifies one version of the file on disk (a rename over it changes the inode). */
function versionOf(path: string): string | null {
  let st: Stats;
  try {
    st = statSync(path);
  } catch {
    return null; // removed for the moment (mid-replace): keep the last good config
  }
  return `${st.ino}:${st.size}:${st.mtimeMs}`;
}

/**
 * Hot reload of the network config file, by polling its inode, size and mtime (a stat per
 * interval) rather than fs.watch: editors and config-management tools replace the file (write a
 * temp file, rename it over), which ends an fs.watch on the old inode after the first save. A
 * file that fails to load (half-saved, a typo) keeps the last good config in force and says why.
 */
export function watchNetworkConfig(
  path: string,
  log: { info(message: string): void; error(message: string): void } = { info: console.log, error: console.error },
  intervalMs = 1000,
): NetworkConfigWatch {
  let seen = versionOf(path);
  let config = loadNetworkConfig(path);
  const timer = setInterval(() => {
    const version = versionOf(path);
    if (version === null || version === seen) return;
    seen = version;
    try {
      config = loadNetworkConfig(path);
      log.info(`[flowatlas] network config reloaded: ${config.sites.length} sites`);
    } catch (err) {
      log.error(`[flowatlas] network config not reloaded, the previous one stays in force: ${(err as Error).message}`);
    }
  }, intervalMs);
  // Never keeps the process alive on its own.
  timer.unref();
  return {
    current: () => config,
    stop: () => clearInterval(timer),
  };
}
