#!/usr/bin/env node
/**
 * `points-edge`: the edge server's command line.
 *   points-edge serve     start the server (same as `node server/main.ts`)
 *   points-edge workerd   run the built Cloudflare Worker locally in workerd with a local D1
 *   points-edge migrate   bring the database schema up to date and exit
 *   points-edge doctor    go-live checks
 *   points-edge get|find|adopt|refund|cancel|authorize|capture|complete|ship|earn|webhooks|deliveries|reconcile
 *                         support operations (see `points-edge --help`; `server/admin/cli-commands.ts`)
 */
import { operationCommandNames, operationsUsage, runOperationsCommand } from './admin/cli-commands.ts';
import { exitCodes } from './admin/cli-failure.ts';
import { ConfigError } from './config.ts';
import { loadConfig } from './runtime/node/config.ts';
import { loadDotEnv } from './runtime/node/env-file.ts';
import { openDatabase } from './runtime/node/store/open-database.ts';
import { migrateToLatest } from './store/migrations.ts';

const usage = `Usage: points-edge <command> [options]

Server:
  serve     start the edge server (configuration from the environment; see README)
  workerd   run the built Cloudflare Worker locally in workerd with a local D1 (points-edge workerd --help)
  migrate   bring the database schema up to date and exit
  doctor    check this deployment against the go-live checklist (points-edge doctor --help)

${operationsUsage}`;

async function migrate(): Promise<void> {
  const config = loadConfig();
  const store = await openDatabase(config.databaseUrl);
  try {
    const result = await migrateToLatest(store);
    const applied = result.results?.map((item) => item.migrationName) ?? [];
    console.log(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'Schema is up to date.');
  } finally {
    await store.close();
  }
}

loadDotEnv();
const command = process.argv[2];
try {
  if (command === 'serve') await import('./runtime/node/main.ts');
  else if (command === 'workerd') {
    const { runWorkerd } = await import('./runtime/node/workerd.ts');
    process.exitCode = await runWorkerd(process.argv.slice(3), process.env);
  } else if (command === 'migrate') await migrate();
  else if (command === 'doctor') {
    const { runDoctorCommand } = await import('./doctor/doctor-command.ts');
    process.exitCode = await runDoctorCommand(process.argv.slice(3), {
      env: process.env,
      out: (text) => console.log(text),
      err: (text) => console.error(text),
    });
  } else if (command !== undefined && operationCommandNames.has(command)) {
    process.exitCode = await runOperationsCommand(process.argv.slice(2), {
      env: process.env,
      out: (text) => console.log(text),
      err: (text) => console.error(text),
    });
  } else {
    const help = command === undefined || command === '--help' || command === '-h';
    (help ? process.stdout : process.stderr).write(
      `${help ? '' : `points-edge: unknown command ${command}\n\n`}${usage}`,
    );
    process.exit(help ? exitCodes.ok : exitCodes.usage);
  }
} catch (error) {
  console.error(
    error instanceof ConfigError ? error.message : `points-edge ${command}: ${(error as Error).message}`,
  );
  process.exit(error instanceof ConfigError ? exitCodes.config : exitCodes.failed);
}
