/**
 * Shopper settings (media features) in every engine. Chromium emulates them for real (CDP). Firefox over
 * BiDi and WebKit over WebDriver cannot, so there the elements' own `@media (feature: value)` rules are
 * applied directly: each matching rule's body is adopted, unconditionally, into the element's shadow root.
 * That proves the rules and their effect in that engine's CSS; the console says which way each test ran.
 */
import { executeServerCommand } from '@web/test-runner-commands';

export type MediaFeature = 'prefers-reduced-motion' | 'forced-colors' | 'prefers-color-scheme';

const applied: { root: ShadowRoot; sheet: CSSStyleSheet }[] = [];
const emulated = new Set<MediaFeature>();

/** The bodies of the `@media` rules in `sheets` whose condition is exactly `(feature: value)`. */
function rulesFor(sheets: CSSStyleSheet[], feature: MediaFeature, value: string): string {
  const condition = `(${feature}: ${value})`;
  return sheets
    .flatMap((sheet) => [...sheet.cssRules])
    .filter((rule): rule is CSSMediaRule => rule instanceof CSSMediaRule)
    .filter((rule) => rule.conditionText.replace(/\s+/g, ' ').trim() === condition)
    .flatMap((rule) => [...rule.cssRules].map((inner) => inner.cssText))
    .join('\n');
}

/**
 * Puts `feature: value` in force for `elements` (and, where the engine emulates it, the whole page).
 * Answers `'emulated'` or `'rules'` (the other way, above).
 */
export async function emulateMedia(
  feature: MediaFeature,
  value: string,
  elements: Element[],
): Promise<'emulated' | 'rules'> {
  if (
    await executeServerCommand<boolean, { feature: string; value: string }>('points-emulate-media', {
      feature,
      value,
    })
  ) {
    emulated.add(feature);
    return 'emulated';
  }
  for (const element of elements) {
    const root = element.shadowRoot!;
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(rulesFor(root.adoptedStyleSheets, feature, value));
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    applied.push({ root, sheet });
  }
  console.log(
    `${feature}: ${value} applied through the elements' own @media rules (the engine cannot emulate it)`,
  );
  return 'rules';
}

/** The `@media` rules of an element's shadow root that test `feature` (any value). */
export function mediaRulesOf(element: Element, feature: MediaFeature): string[] {
  return element
    .shadowRoot!.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules])
    .filter((rule): rule is CSSMediaRule => rule instanceof CSSMediaRule)
    .filter((rule) => rule.conditionText.includes(feature))
    .map((rule) => rule.conditionText);
}

/** Undoes every {@link emulateMedia}. */
export async function resetMedia(): Promise<void> {
  for (const feature of emulated) {
    const value =
      feature === 'forced-colors' ? 'none' : feature === 'prefers-color-scheme' ? 'light' : 'no-preference';
    await executeServerCommand('points-emulate-media', { feature, value });
  }
  emulated.clear();
  for (const { root, sheet } of applied.splice(0)) {
    root.adoptedStyleSheets = root.adoptedStyleSheets.filter((adopted) => adopted !== sheet);
  }
}
