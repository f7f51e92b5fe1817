import fc from 'fast-check';

/** The part of an OpenAPI 3.0 schema object the official Points file uses. */
export interface Schema {
  $ref?: string;
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  format?: string;
  nullable?: boolean;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  minItems?: number;
  minimum?: number;
  maxLength?: number;
  minProperties?: number;
  additionalProperties?: boolean | Schema;
}

/** A body that breaks its schema, and how (for the failure message). */
export interface Broken {
  body: Record<string, unknown>;
  breaks: string;
}

type Resolve = (schema: Schema) => Schema;

/**
 * Values for fields whose schema is only `string` but whose meaning the file describes in prose (a Saudi
 * phone, a URL): without them almost every generated request would fail on that one field and the
 * property would test little else.
 */
const meaningful: Record<string, fc.Arbitrary<unknown>> = {
  phone_number: fc.constantFrom('500000001', '0500000002', '+966500000002', '00966512345678', '966551234567'),
  url: fc.webUrl({ withQueryParameters: true }),
  callback_url: fc.oneof(fc.webUrl(), fc.constant(null)),
  order_number: fc.stringMatching(/^#?[A-Z0-9-]{1,20}$/),
};

/** Amounts: mostly shop-sized SAR with halalas, sometimes anything a float can be. */
const amount = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 10_000_000 }).map((halalas) => halalas / 100) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 1e12, noNaN: true }) },
);

/** A value the schema accepts. */
export function valid(schema: Schema, resolve: Resolve, name = ''): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const value = validValue(s, resolve, name);
  return s.nullable
    ? fc.oneof({ weight: 4, arbitrary: value }, { weight: 1, arbitrary: fc.constant(null) })
    : value;
}

function validValue(s: Schema, resolve: Resolve, name: string): fc.Arbitrary<unknown> {
  if (s.enum) return fc.constantFrom(...s.enum);
  if (meaningful[name]) return meaningful[name];
  switch (s.type) {
    case 'object': {
      const properties = s.properties ?? {};
      if (Object.keys(properties).length === 0)
        return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue());
      const record = fc.record(
        Object.fromEntries(
          Object.entries(properties).map(([key, value]) => [key, valid(value, resolve, key)]),
        ),
        { requiredKeys: s.required ?? [] },
      );
      return s.minProperties ? record.filter((o) => Object.keys(o).length >= s.minProperties!) : record;
    }
    case 'array':
      return fc.array(valid(s.items ?? {}, resolve), { minLength: s.minItems ?? 0, maxLength: 4 });
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1000, max: 1000 });
    case 'number':
      return s.minimum === 0 ? amount : fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    default:
      if (s.format === 'uuid') return fc.uuid();
      if (s.format === 'uri') return fc.webUrl();
      return fc.string({ minLength: 1, maxLength: s.maxLength ?? 40 });
  }
}

/** Values of the wrong JSON type for `s` (never null when null is allowed). */
function wrongType(s: Schema): fc.Arbitrary<unknown> {
  const others: Array<fc.Arbitrary<unknown>> = [fc.boolean()];
  if (s.type !== 'array') others.push(fc.constant([1]));
  if (s.type !== 'object') others.push(fc.constant({ a: 1 }));
  if (s.type !== 'string') others.push(fc.string({ maxLength: 5 }));
  if (s.type !== 'number' && s.type !== 'integer') others.push(fc.integer());
  if (!s.nullable) others.push(fc.constant(null));
  return fc.oneof(...others);
}

/** Values of the right type that break one of its limits, if it has any. */
function outOfRange(s: Schema): fc.Arbitrary<unknown> | undefined {
  if (s.enum) return fc.string({ maxLength: 12 }).filter((v) => !s.enum!.includes(v));
  if ((s.type === 'number' || s.type === 'integer') && s.minimum !== undefined) {
    return fc.double({ min: s.minimum - 1e6, max: s.minimum - 0.01, noNaN: true });
  }
  if (s.type === 'integer')
    return fc.double({ min: -1000, max: 1000, noNaN: true }).filter((n) => !Number.isInteger(n));
  if (s.type === 'string' && s.maxLength !== undefined) {
    // No spaces: input is trimmed before it is measured (Laravel does too).
    const unit = fc.constantFrom('a', 'z', '9', 'ب');
    return fc.string({ minLength: s.maxLength + 1, maxLength: s.maxLength + 20, unit });
  }
  if (s.type === 'string' && s.format === 'uri') return fc.stringMatching(/^[a-z]{1,12}$/);
  if (s.type === 'array' && s.minItems) return fc.constant([]);
  return undefined;
}

/**
 * A body of the object schema `schema` with exactly one thing broken: a required field missing, or one
 * field (possibly nested) of the wrong type or out of its limits.
 */
export function broken(schema: Schema, resolve: Resolve): fc.Arbitrary<Broken> {
  const s = resolve(schema);
  const properties = Object.entries(s.properties ?? {});
  const choices: Array<fc.Arbitrary<Broken>> = [];
  if (s.minProperties) choices.push(fc.constant({ body: {}, breaks: `minProperties ${s.minProperties}` }));
  for (const required of s.required ?? []) {
    choices.push(
      (valid(s, resolve) as fc.Arbitrary<Record<string, unknown>>).map((body) => {
        const { [required]: _dropped, ...rest } = body;
        return { body: rest, breaks: `required ${required} missing` };
      }),
    );
  }
  for (const [key, raw] of properties) {
    const field = resolve(raw);
    const bad = [wrongType(field), outOfRange(field)].filter((a) => a !== undefined);
    if (field.type === 'object' && field.properties) {
      bad.push(broken(field, resolve).map((inner) => ({ nested: inner })) as fc.Arbitrary<unknown>);
    }
    if (field.type === 'array' && field.items && resolve(field.items).type === 'object') {
      bad.push(broken(field.items, resolve).map((inner) => ({ nestedItem: inner })) as fc.Arbitrary<unknown>);
    }
    choices.push(
      fc
        .tuple(valid(s, resolve) as fc.Arbitrary<Record<string, unknown>>, fc.oneof(...bad))
        .map(([body, value]) => {
          const v = value as { nested?: Broken; nestedItem?: Broken };
          if (v && typeof v === 'object' && 'nested' in v && v.nested) {
            return { body: { ...body, [key]: v.nested.body }, breaks: `${key}.${v.nested.breaks}` };
          }
          if (v && typeof v === 'object' && 'nestedItem' in v && v.nestedItem) {
            return {
              body: { ...body, [key]: [v.nestedItem.body] },
              breaks: `${key}.0.${v.nestedItem.breaks}`,
            };
          }
          return { body: { ...body, [key]: value }, breaks: `${key} = ${JSON.stringify(value)}` };
        }),
    );
  }
  return fc.oneof(...choices);
}
