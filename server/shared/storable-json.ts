/** Deepest nesting a webhook body may have; Points' payloads nest three levels, a platform's order about five. */
export const maxWebhookDepth = 32;

/** A UTF-16 surrogate without its pair (`"\ud800"` in JSON): no UTF-8 text, so no key or column holds it. */
const loneSurrogate = /\p{Cs}/u;

/**
 * Why a parsed body cannot be keyed and stored as it is (nesting deeper than {@link maxWebhookDepth}, or
 * a lone surrogate in a key or a string), or undefined. Iterative, so no body can overflow the stack.
 */
export function unstorable(body: unknown): string | undefined {
  const stack: Array<{ value: unknown; depth: number }> = [{ value: body, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (typeof value === 'string' && loneSurrogate.test(value)) return 'a string holds a lone surrogate';
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxWebhookDepth) return `body nests deeper than ${maxWebhookDepth} levels`;
    for (const [key, child] of Object.entries(value)) {
      if (loneSurrogate.test(key)) return 'a key holds a lone surrogate';
      stack.push({ value: child, depth: depth + 1 });
    }
  }
  return undefined;
}
