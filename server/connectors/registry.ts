import type { z } from 'zod';
import type {
  CatchUp,
  Delivery,
  EarnTrigger,
  ParsedDelivery,
  PlatformConnector,
  PlatformId,
  Verification,
} from './connector.ts';
import { salla } from './salla/salla.ts';
import { shopify } from './shopify/shopify.ts';
import { woocommerce } from './woocommerce/woocommerce.ts';
import { zid } from './zid/zid.ts';

/** Every platform connector, once: config, routes, jobs, doctor and docs all read this list. */
// Each connector has settings of its own type; the list only needs what `activate` does with them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const connectors: ReadonlyArray<PlatformConnector<any>> = [salla, zid, shopify, woocommerce];

/** Every platform id, as the admin API and the CLI accept them. */
export const platformIds = connectors.map((connector) => connector.id) as [PlatformId, ...PlatformId[]];

/** A connector that is on: bound to its settings, so nothing else sees their type. */
export interface ActiveConnector {
  id: PlatformId;
  title: string;
  earnOn: EarnTrigger;
  /** Secret values to scrub from logs. */
  secrets: string[];
  /** Its secret variables whose value is shorter than 32 characters (doctor warns; production refuses). */
  weakSecrets: string[];
  isPing(delivery: Delivery): boolean;
  verify(delivery: Delivery): Promise<Verification>;
  parse(delivery: Delivery, body: unknown): ParsedDelivery | Promise<ParsedDelivery>;
  /** Present when the connector can read missed orders from the platform's API (see `catch-up-sweep.ts`). */
  catchUp?: (since: number, fetch: typeof globalThis.fetch) => Promise<CatchUp> | undefined;
}

/** The connector bound to its settings from `values`, or `undefined` when its secret is not set. */
export function activate<Settings>(
  connector: PlatformConnector<Settings>,
  values: Record<string, unknown>,
): ActiveConnector | undefined {
  const settings = connector.settings(values);
  if (settings === undefined) return undefined;
  return {
    id: connector.id,
    title: connector.title,
    earnOn: connector.earnOn(settings),
    secrets: connector.secrets(settings),
    weakSecrets: connector.secretVariables.filter((name) => {
      const value = values[name];
      return typeof value === 'string' && value.length < 32;
    }),
    isPing: (delivery) => connector.isPing?.(delivery) ?? false,
    verify: (delivery) => connector.verify(delivery, settings),
    parse: (delivery, body) => connector.parse(delivery, body),
    ...(connector.catchUp
      ? {
          catchUp: (since: number, fetch: typeof globalThis.fetch) =>
            connector.catchUp!(settings, since, fetch),
        }
      : {}),
  };
}

/** Every connector variable, for the configuration schema. */
export const connectorConfigShape: z.ZodRawShape = Object.assign(
  {},
  ...connectors.map((connector) => connector.configShape),
);

/** Connector variables that hold secrets. */
export const connectorSecretVariables = connectors.flatMap((connector) => connector.secretVariables);
