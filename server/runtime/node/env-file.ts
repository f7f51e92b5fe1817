import { existsSync } from 'node:fs';

/**
 * Reads `.env` from the working directory into `process.env` when the file exists (the `points-edge` CLI
 * and `node server/main.ts` do, as `.env.example` says). A variable already set in the environment wins,
 * so a deployment's own settings and `NAME_FILE` secrets are never overridden by a stray file.
 */
export function loadDotEnv(path = '.env'): void {
  if (!existsSync(path)) return;
  const before = { ...process.env };
  process.loadEnvFile(path);
  Object.assign(process.env, before);
}
