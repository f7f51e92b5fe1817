import { z } from 'zod';

import {
  activate,
  connectorConfigShape,
  connectors,
  connectorSecretVariables,
  type ActiveConnector,
} from './connectors/registry.ts';
import { consoleOperatorsSchema, type ConsoleOperator } from './console/operators.ts';
import { constantTimeEqual } from './shared/constant-time.ts';
import { defaultOrderTokenMaxLifetimeSeconds } from './orders/order-token.ts';
import { isLoopbackHost, normalizeBaseUrl, pointsBaseUrls } from './points/client.ts';
import { fullPassWindowDays } from './reconcile/full-pass-window.ts';
import { configurableRetention } from './retention/retention-periods.ts';

/** Variables whose values are secrets: never printed, and at least 32 characters in production. */
export const secretVariables = [
  'POINTS_PRIVATE_KEY',
  'POINTS_WEBHOOK_SECRET',
  'POINTS_WEBHOOK_SECRET_PREVIOUS',
  'ORDER_TOKEN_SECRET',
  'ADMIN_TOKEN',
  'CONSOLE_OPERATORS',
  'MERCHANT_WEBHOOK_SECRET',
  ...connectorSecretVariables,
] as const;

const optionalUrl = z.url({ protocol: /^https?$/ }).optional();
const urlList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .string()
        .refine((item) => item !== '*', 'list each store origin (https://shop.example); * is not allowed')
        .pipe(z.url({ protocol: /^https?$/ })),
    ),
  );
const secret = z.string().min(1);
/** Whole days within a retention period's bounds. */
const retentionDays = (bounds: { default: number; min: number; max: number }) =>
  z.coerce.number().int().min(bounds.min).max(bounds.max).default(bounds.default);

/** Whether `name` is an IANA time zone this runtime's `Intl` knows (`Asia/Riyadh`, `UTC`). */
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const environmentSchema = z.object({
  POINTS_ENV: z.enum(['sandbox', 'production']).default('sandbox'),
  POINTS_API_BASE_URL: optionalUrl,
  POINTS_PUBLIC_KEY: z.string().min(1),
  POINTS_PRIVATE_KEY: secret,
  POINTS_WEBHOOK_SECRET: secret,
  POINTS_WEBHOOK_SECRET_PREVIOUS: secret.optional(),
  ORDER_TOKEN_SECRET: secret.optional(),
  ORDER_TOKEN_MAX_LIFETIME_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 24 * 3600)
    .default(defaultOrderTokenMaxLifetimeSeconds),
  ADMIN_TOKEN: secret.optional(),
  CONSOLE_OPERATORS: consoleOperatorsSchema.default([]),
  DATABASE_URL: z
    .string()
    .default('sqlite:./data/points.db')
    .refine(
      (value) => /^(sqlite:|postgres(ql)?:\/\/|d1:[A-Za-z_]\w*$)/.test(value),
      'must start with sqlite: or postgres:// (on Workers: d1:BINDING)',
    ),
  WORKER_SUBREQUEST_LIMIT: z.coerce.number().int().min(40).max(100_000).default(50),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8787'),
  STORE_ORIGINS: urlList,
  RETURN_URL_SUCCESS: optionalUrl,
  RETURN_URL_PENDING: optionalUrl,
  RETURN_URL_FAILURE: optionalUrl,
  MERCHANT_WEBHOOK_URL: optionalUrl,
  MERCHANT_WEBHOOK_SECRET: secret.optional(),
  CATALOG_FILE: z.string().min(1).optional(),
  ALERT_WEBHOOK_URL: optionalUrl,
  EARN_RATE: z.coerce.number().positive().max(1000).default(10),
  TIME_ZONE: z
    .string()
    .default('Asia/Riyadh')
    .refine(isTimeZone, 'must be an IANA time zone name, e.g. Asia/Riyadh, Europe/Berlin or UTC'),
  RATE_LIMIT_CHECKOUTS_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(30),
  RATE_LIMIT_CALLBACKS_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(60),
  RATE_LIMIT_ADMIN_FAILURES_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(10),
  WEBHOOK_BODY_RETENTION_DAYS: retentionDays(configurableRetention.webhookBodyDays),
  AUDIT_RETENTION_DAYS: retentionDays(configurableRetention.auditDays),
  RECONCILE_FULL_WINDOW_DAYS: z.coerce
    .number()
    .int()
    .min(fullPassWindowDays.min)
    .max(fullPassWindowDays.max)
    .default(fullPassWindowDays.default),
  CLIENT_IP_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a header name, e.g. x-forwarded-for')
    .optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
});
/** The platform connectors' variables, validated beside the rest (`server/connectors/registry.ts`). */
const connectorSchema = z.object(connectorConfigShape);

type Environment = z.infer<typeof environmentSchema>;

/** Every variable the server reads (each may also come from `NAME_FILE`). */
export const configVariables = [
  ...Object.keys(environmentSchema.shape),
  ...Object.keys(connectorConfigShape),
];

/** The validated configuration of one edge server. */
export interface Config {
  environment: 'sandbox' | 'production';
  points: { baseUrl: string; publicKey: string; privateKey: string };
  /** Current webhook secret first, then the previous one during a rotation. */
  webhookSecrets: string[];
  orderTokenSecret: string | undefined;
  /** An order token whose `exp` is further away than this (seconds) is refused. */
  orderTokenMaxLifetimeSeconds: number;
  adminToken: string | undefined;
  /** The console's named operators (`CONSOLE_OPERATORS`); `ADMIN_TOKEN` signs in as `admin` besides. */
  consoleOperators: ConsoleOperator[];
  databaseUrl: string;
  /** On Workers, the D1 queries and fetches one invocation may send: 50 on the Free plan, 1,000 on Paid. */
  workerSubrequestLimit: number;
  publicUrl: string;
  storeOrigins: string[];
  returnUrls: { success: string | undefined; pending: string | undefined; failure: string | undefined };
  merchantWebhook: { url: string; secret: string } | undefined;
  catalogFile: string | undefined;
  /** Alerts are also POSTed here. */
  alertWebhookUrl: string | undefined;
  earnRate: number;
  /** The merchant's IANA time zone: the console's charts count days in it. */
  timeZone: string;
  /** Per client and minute (all instances on a shared database together); 0 turns one off. */
  rateLimits: { checkoutsPerMinute: number; callbacksPerMinute: number; adminFailuresPerMinute: number };
  /** Days the retention sweep keeps processed webhook bodies and the console's audit log (`server/retention`). */
  retention: { webhookBodyDays: number; auditDays: number };
  /** The nightly full pass reads open orders changed within this many days (`reconcile/full-pass-window.ts`). */
  reconcile: { fullWindowDays: number };
  /** The header the trusted proxy in front puts the client's address in (its last entry is used). */
  clientIpHeader: string | undefined;
  port: number;
  host: string;
  /** The platform connectors whose secret is set (`server/connectors`). */
  connectors: ActiveConnector[];
}

/** Thrown when the environment is invalid; its message names variables, never their values. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Reads a file the environment names (`NAME_FILE`), synchronously: the runtime's (Node: `node:fs`). */
export type ReadSecretFile = (path: string) => string;

/** Reads `NAME` or, when `NAME_FILE` is set, the trimmed contents of that file. */
/**
 * The configuration variables set in `env`, each `NAME_FILE` read with `readFile` (trimmed), and what is
 * wrong with how they are set. {@link loadConfig} validates these; `points-edge workerd` passes them on.
 */
export function readVariables(
  env: Record<string, string | undefined>,
  readFile: ReadSecretFile | undefined,
): {
  values: Record<string, string>;
  problems: string[];
} {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  for (const name of configVariables) {
    const direct = env[name];
    const file = env[`${name}_FILE`];
    if (direct !== undefined && direct !== '' && file) {
      problems.push(`${name}: set either ${name} or ${name}_FILE, not both`);
    } else if (file && !readFile) {
      problems.push(`${name}_FILE: this runtime reads no files; set ${name} itself`);
    } else if (file && readFile) {
      try {
        values[name] = readFile(file).trim();
      } catch {
        problems.push(`${name}_FILE: cannot read the file it names`);
      }
    } else if (direct !== undefined && direct !== '') {
      values[name] = direct;
    }
  }
  return { values, problems };
}

function productionProblems(env: Environment, connectorValues: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const baseUrl = env.POINTS_API_BASE_URL ?? pointsBaseUrls.production;
  if (baseUrl.startsWith(pointsBaseUrls.sandbox.replace('/api', ''))) {
    problems.push('POINTS_API_BASE_URL: production cannot use the sandbox API');
  }
  const urls = {
    POINTS_API_BASE_URL: baseUrl,
    PUBLIC_URL: env.PUBLIC_URL,
    RETURN_URL_SUCCESS: env.RETURN_URL_SUCCESS,
    RETURN_URL_PENDING: env.RETURN_URL_PENDING,
    RETURN_URL_FAILURE: env.RETURN_URL_FAILURE,
    MERCHANT_WEBHOOK_URL: env.MERCHANT_WEBHOOK_URL,
    ALERT_WEBHOOK_URL: env.ALERT_WEBHOOK_URL,
  };
  for (const [name, url] of Object.entries(urls)) {
    if (url && !url.startsWith('https://')) problems.push(`${name}: production needs an https:// URL`);
  }
  // A local origin (a developer's store on http://localhost) is harmless; doctor warns about it.
  for (const origin of env.STORE_ORIGINS) {
    if (!origin.startsWith('https://') && !isLoopbackHost(new URL(origin).hostname))
      problems.push('STORE_ORIGINS: production needs https:// origins (http:// only for localhost)');
  }
  env.CONSOLE_OPERATORS.forEach((operator, index) => {
    if (operator.token.length < 32)
      problems.push(
        `CONSOLE_OPERATORS: entry ${index + 1}'s token must be at least 32 characters in production`,
      );
  });
  for (const name of secretVariables) {
    const value = (env as Record<string, unknown>)[name] ?? connectorValues[name];
    if (typeof value === 'string' && value.length < 32)
      problems.push(`${name}: must be at least 32 characters in production`);
  }
  if (!env.ORDER_TOKEN_SECRET && !env.CATALOG_FILE) {
    problems.push(
      'ORDER_TOKEN_SECRET: production needs signed order tokens (or CATALOG_FILE for catalog pricing)',
    );
  }
  return problems;
}

/**
 * Validates the environment once at start. Throws {@link ConfigError} naming every bad variable.
 * `NAME_FILE` variables are read with `readFile`, the runtime's; without one they are refused. On Node,
 * `runtime/node/config.ts` passes `node:fs` (the package exports that `loadConfig`).
 *
 * @example
 * const config = loadConfig(workerEnv);
 */
export function loadConfig(env: Record<string, string | undefined>, readFile?: ReadSecretFile): Config {
  const { values, problems } = readVariables(env, readFile);
  const parsed = environmentSchema.safeParse(values);
  const connectorValues = connectorSchema.safeParse(values);
  const issues = [
    ...(parsed.success ? [] : parsed.error.issues),
    ...(connectorValues.success ? [] : connectorValues.error.issues),
  ];
  {
    for (const issue of issues) {
      const name = String(issue.path[0] ?? 'environment');
      const secretName = (secretVariables as readonly string[]).includes(name);
      // zod messages never include the received value, so they are safe to print even for secrets.
      problems.push(
        `${name}: ${issue.code === 'invalid_type' && !(name in values) ? 'is required' : issue.message}${secretName ? ' (secret, value hidden)' : ''}`,
      );
    }
  }
  if (problems.length > 0 || !parsed.success || !connectorValues.success) throw new ConfigError(problems);

  const data = parsed.data;
  if (data.POINTS_ENV === 'production') problems.push(...productionProblems(data, connectorValues.data));
  if (data.MERCHANT_WEBHOOK_URL && !data.MERCHANT_WEBHOOK_SECRET) {
    problems.push('MERCHANT_WEBHOOK_SECRET: required when MERCHANT_WEBHOOK_URL is set');
  }
  const adminToken = data.ADMIN_TOKEN;
  if (
    adminToken &&
    data.CONSOLE_OPERATORS.some((operator) => constantTimeEqual(operator.token, adminToken))
  ) {
    problems.push(
      "CONSOLE_OPERATORS: an operator's token is ADMIN_TOKEN; give each operator a token of their own",
    );
  }
  if (data.POINTS_API_BASE_URL) {
    const url = new URL(data.POINTS_API_BASE_URL);
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      problems.push('POINTS_API_BASE_URL: plain http:// is only allowed for loopback hosts');
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    environment: data.POINTS_ENV,
    points: {
      baseUrl: normalizeBaseUrl(data.POINTS_API_BASE_URL ?? pointsBaseUrls[data.POINTS_ENV]),
      publicKey: data.POINTS_PUBLIC_KEY,
      privateKey: data.POINTS_PRIVATE_KEY,
    },
    webhookSecrets: [data.POINTS_WEBHOOK_SECRET, data.POINTS_WEBHOOK_SECRET_PREVIOUS].filter(
      (value): value is string => Boolean(value),
    ),
    orderTokenSecret: data.ORDER_TOKEN_SECRET,
    orderTokenMaxLifetimeSeconds: data.ORDER_TOKEN_MAX_LIFETIME_SECONDS,
    adminToken: data.ADMIN_TOKEN,
    consoleOperators: data.CONSOLE_OPERATORS,
    databaseUrl: data.DATABASE_URL,
    workerSubrequestLimit: data.WORKER_SUBREQUEST_LIMIT,
    publicUrl: data.PUBLIC_URL.replace(/\/+$/, ''),
    storeOrigins: data.STORE_ORIGINS.map((origin) => new URL(origin).origin),
    returnUrls: {
      success: data.RETURN_URL_SUCCESS,
      pending: data.RETURN_URL_PENDING,
      failure: data.RETURN_URL_FAILURE,
    },
    merchantWebhook:
      data.MERCHANT_WEBHOOK_URL && data.MERCHANT_WEBHOOK_SECRET
        ? { url: data.MERCHANT_WEBHOOK_URL, secret: data.MERCHANT_WEBHOOK_SECRET }
        : undefined,
    catalogFile: data.CATALOG_FILE,
    alertWebhookUrl: data.ALERT_WEBHOOK_URL,
    earnRate: data.EARN_RATE,
    timeZone: data.TIME_ZONE,
    rateLimits: {
      checkoutsPerMinute: data.RATE_LIMIT_CHECKOUTS_PER_MINUTE,
      callbacksPerMinute: data.RATE_LIMIT_CALLBACKS_PER_MINUTE,
      adminFailuresPerMinute: data.RATE_LIMIT_ADMIN_FAILURES_PER_MINUTE,
    },
    retention: { webhookBodyDays: data.WEBHOOK_BODY_RETENTION_DAYS, auditDays: data.AUDIT_RETENTION_DAYS },
    reconcile: { fullWindowDays: data.RECONCILE_FULL_WINDOW_DAYS },
    clientIpHeader: data.CLIENT_IP_HEADER?.toLowerCase(),
    port: data.PORT,
    host: data.HOST,
    connectors: connectors.flatMap((connector) => activate(connector, connectorValues.data) ?? []),
  };
}
