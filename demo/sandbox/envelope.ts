import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { fieldErrorMap } from '../../server/shared/field-errors.ts';
import { isObject } from '../../server/shared/is-object.ts';

/** The §1.4 success envelope, HTTP 200. */
export function ok(c: Context, data?: unknown, extra: Record<string, unknown> = {}) {
  const body = data === undefined ? {} : { data };
  return c.json({ status: true, message: '', appended_data: {}, ...body, ...extra }, 200);
}

/** The §1.4 error envelope. */
export function fail(c: Context, status: ContentfulStatusCode, message: string) {
  return c.json({ status: false, message, appended_data: {} }, status);
}

/** The current 422 shape: a per-field `errors` map in dot notation. */
export function invalid(c: Context, errors: Record<string, string[]>) {
  return c.json({ status: false, message: 'The given data was invalid.', appended_data: {}, errors }, 422);
}

/** Laravel-style field label: `products.0.product_price` → `product price`. */
function label(path: readonly PropertyKey[]): string {
  const last = [...path].reverse().find((key) => typeof key === 'string');
  return typeof last === 'string' ? last.replace(/_/g, ' ') : 'value';
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Turns zod issues into `{ 'products.0.quantity': ['The quantity must be at least 1.'] }`. */
export function errorsMap(issues: readonly z.core.$ZodIssue[], data: unknown): Record<string, string[]> {
  return fieldErrorMap(issues, 'body', (issue) => messageFor(issue, data));
}

function messageFor(issue: z.core.$ZodIssue, data: unknown): string {
  const field = label(issue.path);
  if (issue.code === 'custom') return issue.message;
  if (issue.code === 'invalid_type') {
    const value = valueAt(data, issue.path);
    if (value === undefined || value === null) return `The ${field} field is required.`;
    const kind = issue.expected === 'int' ? 'an integer' : `a ${issue.expected}`;
    return `The ${field} must be ${kind}.`;
  }
  if (issue.code === 'too_small') {
    if (issue.origin === 'array') return `The ${field} must have at least ${issue.minimum} items.`;
    if (issue.origin === 'string') return `The ${field} field is required.`;
    return `The ${field} must be at least ${issue.minimum}.`;
  }
  if (issue.code === 'too_big') {
    const unit = issue.origin === 'string' ? ' characters' : '';
    return `The ${field} may not be greater than ${issue.maximum}${unit}.`;
  }
  if (issue.code === 'invalid_format') return `The ${field} format is invalid.`;
  if (issue.code === 'invalid_value') return `The selected ${field} is invalid.`;
  if (issue.code === 'unrecognized_keys') return `Unknown fields: ${issue.keys.join(', ')}.`;
  return `The ${field} is invalid.`;
}

/**
 * Reads a JSON body; a missing, malformed or non-object body counts as `{}` (as Laravel's input bag
 * does), so validation answers 422 per field, never 500.
 */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text().catch(() => '');
  if (!text.trim()) return {};
  try {
    const value = JSON.parse(text) as unknown;
    return isObject(value) ? value : {};
  } catch {
    return {};
  }
}

/**
 * Validates the JSON body with `schema`; answers the 422 itself when it fails.
 *
 * @example
 * const body = await validate(c, schema);
 * if (body instanceof Response) return body;
 */
export async function validate<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S> | Response> {
  const data = await readJson(c);
  const result = schema.safeParse(data);
  if (!result.success) return invalid(c, errorsMap(result.error.issues, data));
  return result.data;
}
