import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';

/** The engines the browser suites run in. */
export const engineNames = ['chromium', 'firefox', 'webkit'] as const;
export type EngineName = (typeof engineNames)[number];

/**
 * The engines to test: `TEST_BROWSERS=chromium,firefox` picks some, default all three. A missing browser
 * fails the run with the command that installs it: an engine is never skipped silently.
 */
export function selectedEngines(): EngineName[] {
  const asked = (process.env['TEST_BROWSERS'] ?? engineNames.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of asked) {
    if (!(engineNames as readonly string[]).includes(name)) {
      throw new Error(`TEST_BROWSERS names ${name}; known engines: ${engineNames.join(', ')}`);
    }
  }
  return asked as EngineName[];
}

function firstExisting(what: string, envName: string, candidates: string[], install: string): string {
  const fromEnv = process.env[envName];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`${envName} points at ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`No ${what} found: install one (${install}) or set ${envName}`);
  return found;
}

/** Debian's Firefox ESR (driven over WebDriver BiDi by puppeteer-core), or `FIREFOX_PATH`. */
export function findFirefox(): string {
  return firstExisting(
    'Firefox',
    'FIREFOX_PATH',
    ['/usr/bin/firefox-esr', '/usr/bin/firefox'],
    'apt-get install -y firefox-esr',
  );
}

/** Debian's WebKitGTK WebDriver, or `WEBKIT_WEBDRIVER_PATH`. */
export function findWebKitDriver(): string {
  return firstExisting(
    'WebKitWebDriver',
    'WEBKIT_WEBDRIVER_PATH',
    ['/usr/bin/WebKitWebDriver'],
    'apt-get install -y webkit2gtk-driver xvfb',
  );
}

/** WebKitGTK's MiniBrowser, which WebKitWebDriver starts with `--automation`, or `WEBKIT_BROWSER_PATH`. */
export function findMiniBrowser(): string {
  const libDirs = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib'];
  const candidates = libDirs.flatMap((dir) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((name) => name.startsWith('webkit2gtk-4.') || name.startsWith('webkitgtk-6.'))
          .map((name) => `${dir}/${name}/MiniBrowser`)
      : [],
  );
  return firstExisting(
    'MiniBrowser',
    'WEBKIT_BROWSER_PATH',
    candidates,
    'apt-get install -y webkit2gtk-driver',
  );
}

/** WebDriver capabilities for a MiniBrowser session (WebKitGTK's own browser, as Safari's engine). */
export function webkitCapabilities(): Record<string, unknown> {
  return {
    browserName: 'MiniBrowser',
    // WebKitGTK speaks classic WebDriver only; without this webdriverio asks for BiDi, which it refuses.
    'wdio:enforceWebDriverClassic': true,
    'webkitgtk:browserOptions': { binary: findMiniBrowser(), args: ['--automation'] },
  };
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/** A running WebKitWebDriver (under its own X server when there is no display). */
export interface WebKitDriver {
  port: number;
  stop(): void;
}

/**
 * Starts WebKitWebDriver on a free port, under `xvfb-run` when `DISPLAY` is unset (WebKitGTK needs an X
 * display even when nothing is looked at). Resolves once it answers `/status`. Stops with this process.
 */
export async function startWebKitDriver(): Promise<WebKitDriver> {
  const port = await freePort();
  const driver = findWebKitDriver();
  const command = process.env['DISPLAY']
    ? [driver]
    : ['xvfb-run', '-a', '-s', '-screen 0 1280x1024x24', driver];
  const child: ChildProcess = spawn(command[0]!, [...command.slice(1), `--port=${port}`], {
    detached: true,
    stdio: 'ignore',
  });
  const stop = () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  };
  process.once('exit', stop);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited with ${child.exitCode}`);
    try {
      const status = await fetch(`http://127.0.0.1:${port}/status`);
      if (status.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      stop();
      throw new Error('WebKitWebDriver did not answer within 30 s');
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  return { port, stop };
}
