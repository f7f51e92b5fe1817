import { z } from 'zod';
import type { Config } from '../config.ts';
import { constantTimeEqual } from '../shared/constant-time.ts';

/** What a console operator may do: `viewer` reads everything and does nothing; `manager` does every action. */
export const operatorRoles = ['viewer', 'manager'] as const;
export type OperatorRole = (typeof operatorRoles)[number];

/** A named operator who signs in to the console with a token of their own. */
export interface ConsoleOperator {
  name: string;
  role: OperatorRole;
  token: string;
}

/** The operator `ADMIN_TOKEN` signs in as: a manager, as the one admin token always was. */
export const adminOperatorName = 'admin';

/** Operator tokens are at least this long everywhere (32 in production, like every secret). */
export const operatorTokenMinLength = 16;

const namePattern = /^[a-z0-9._-]{1,32}$/;
// Printable ASCII but spaces and commas: a comma or a line ends an entry.
const tokenPattern = /^[\x21-\x2b\x2d-\x7e]+$/;

/**
 * `CONSOLE_OPERATORS`: `name:role:token` entries, one a line or separated by commas (blank lines and `#`
 * lines skipped), e.g. `sara:manager:…,omar:viewer:…`. Names are unique, `[a-z0-9._-]`, and not `admin`
 * (`ADMIN_TOKEN`'s); roles are {@link operatorRoles}; tokens are unique and at least
 * {@link operatorTokenMinLength} characters. A problem names the entry by its place, never by its text:
 * a token written in the wrong place must not be printed.
 *
 * @example
 * consoleOperatorsSchema.parse('sara:manager:0123456789abcdef0123\nomar:viewer:fedcba9876543210fedc');
 * // → [{ name: 'sara', role: 'manager', token: '0123…' }, { name: 'omar', role: 'viewer', token: 'fedc…' }]
 */
export const consoleOperatorsSchema = z.string().transform((text, context): ConsoleOperator[] => {
  const entries = text
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && !entry.startsWith('#'));
  const operators: ConsoleOperator[] = [];
  const problem = (message: string) => context.addIssue({ code: 'custom', message });
  entries.forEach((entry, index) => {
    const place = `entry ${index + 1}`;
    const [name = '', role = '', ...rest] = entry.split(':');
    const token = rest.join(':');
    if (!namePattern.test(name)) {
      problem(`${place}: write name:role:token, the name of a-z, 0-9, ".", "_" or "-" (at most 32)`);
    } else if (name === adminOperatorName) {
      problem(`${place}: "admin" is the name ADMIN_TOKEN signs in as; choose another`);
    } else if (operators.some((operator) => operator.name === name)) {
      problem(`${place}: its name is an earlier entry's too`);
    }
    if (!(operatorRoles as readonly string[]).includes(role)) {
      problem(`${place}: the role must be one of ${operatorRoles.join(', ')}`);
    }
    if (token.length < operatorTokenMinLength || !tokenPattern.test(token)) {
      problem(
        `${place}: the token must be at least ${operatorTokenMinLength} characters, without spaces or commas`,
      );
    } else if (operators.some((operator) => constantTimeEqual(token, operator.token))) {
      problem(`${place}: its token is another operator's too; give each operator a token of their own`);
    }
    operators.push({ name, role: role as OperatorRole, token });
  });
  return operators;
});

/**
 * Everyone who may sign in to the console: `admin` (a manager) when `ADMIN_TOKEN` is set, then
 * `CONSOLE_OPERATORS`. Read at each sign-in and request, so a reloaded configuration counts at once.
 *
 * @example
 * const operators = consoleOperatorsOf(ctx.config); // [{ name: 'admin', role: 'manager', token }, …]
 */
export function consoleOperatorsOf(
  config: Pick<Config, 'adminToken' | 'consoleOperators'>,
): ConsoleOperator[] {
  const admin: ConsoleOperator[] = config.adminToken
    ? [{ name: adminOperatorName, role: 'manager', token: config.adminToken }]
    : [];
  return [...admin, ...config.consoleOperators];
}

/** Whether `role` may change anything (refund, cancel, ship, re-read, replay), not only read. */
export const mayAct = (role: OperatorRole): boolean => role === 'manager';

/**
 * The operator whose token `given` is, or undefined. Every operator's token is compared, in constant time,
 * whichever matches: no early exit, so the time tells neither which operator it was nor how far down the
 * list (it depends only on the configured tokens' lengths).
 *
 * @example
 * const operator = operatorWithToken(consoleOperatorsOf(config), form.token);
 */
export function operatorWithToken(
  operators: readonly ConsoleOperator[],
  given: string,
): ConsoleOperator | undefined {
  let found: ConsoleOperator | undefined;
  for (const operator of operators) {
    const matches = constantTimeEqual(given, operator.token);
    found = matches ? operator : found;
  }
  return found;
}
