/** WCAG contrast of what an element really paints: its text colour over the backgrounds behind it. */

type Rgba = [number, number, number, number];

/** A computed colour (`rgb(…)`, `rgba(…)`, `color(srgb …)`) as 0–255 channels and alpha. */
export function parseColor(css: string): Rgba {
  const numbers = (css.match(/-?[\d.]+(?:e-?\d+)?/g) ?? []).map(Number);
  if (css.startsWith('color(srgb')) {
    const [r = 0, g = 0, b = 0, a = 1] = numbers;
    return [r * 255, g * 255, b * 255, a];
  }
  if (!css.startsWith('rgb')) throw new Error(`cannot read colour ${css}`);
  const [r = 0, g = 0, b = 0, a = 1] = numbers;
  return [r, g, b, a];
}

function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top[3];
  return [0, 1, 2].map((i) => top[i]! * a + bottom[i]! * (1 - a)).concat(1) as Rgba;
}

function luminance([r, g, b]: Rgba): number {
  const linear = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** The contrast ratio of two opaque colours, 1 to 21. */
export function ratio(a: Rgba, b: Rgba): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** The element's parent across shadow boundaries (a shadow root's host). */
function parentOf(element: Element): Element | null {
  if (element.assignedSlot) return element.assignedSlot;
  return element.parentElement ?? ((element.getRootNode() as ShadowRoot).host || null);
}

/** The opaque colour behind `element`: the backgrounds of it and its ancestors, over a white canvas. */
export function backgroundBehind(element: Element): Rgba {
  const layers: Rgba[] = [];
  for (let at: Element | null = element; at; at = parentOf(at)) {
    const background = parseColor(getComputedStyle(at).backgroundColor);
    if (background[3] > 0) layers.push(background);
    if (background[3] === 1) break;
  }
  return layers.reduceRight<Rgba>((below, layer) => over(layer, below), [255, 255, 255, 1]);
}

/** Contrast of the element's text against what is behind it. */
export function textContrast(element: Element): number {
  const background = backgroundBehind(element);
  return ratio(over(parseColor(getComputedStyle(element).color), background), background);
}

/** Contrast of the element's focus outline against what is behind the outline (its parent's background). */
export function outlineContrast(element: Element): number {
  const background = backgroundBehind(parentOf(element)!);
  return ratio(over(parseColor(getComputedStyle(element).outlineColor), background), background);
}
