/** Whitespace, comments and zeros before a decimal point out of CSS text: the browser reads the same rules. */
export function minifiedCss(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>]|:(?!:?[a-z(]))\s*/g, '$1')
    .replace(/;}/g, '}')
    .replace(/([\s:,(])0\.(\d)/g, '$1.$2')
    .trim();
}
