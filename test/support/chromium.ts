import { existsSync } from 'node:fs';

/** Flags every headless Chromium in this project runs with: no sandbox (root in CI), no background network. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/**
 * The Chromium the tests drive: `CHROME_PATH` when set, else the first system browser found.
 * No tool in this project downloads a browser.
 */
export function findChromium(): string {
  const fromEnv = process.env['CHROME_PATH'];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROME_PATH points at ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error('No Chromium found: install one (apt-get install -y chromium) or set CHROME_PATH');
  }
  return found;
}
