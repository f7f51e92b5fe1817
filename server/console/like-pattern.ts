/**
 * A LIKE pattern matching `fragment` literally anywhere in a text column (`%`, `_` and `\` escaped; use with
 * `escape '\'`, which SQLite and Postgres both read): how the console finds a value inside stored JSON.
 *
 * @example
 * sql`payload like ${containing('"orderNumber":"ORD-1"')} escape '\\'`
 */
export function containing(fragment: string): string {
  return `%${fragment.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
