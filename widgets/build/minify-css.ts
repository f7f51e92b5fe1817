import type { Plugin } from 'vite';
import { minifiedCss } from '../shared/minified-css.ts';

/**
 * Minifies the elements' `css\`…\`` templates in the build (Lit ships them as written, indentation and
 * comments included). Templates with `${…}` parts are left as they are.
 */
export function minifyCssTemplates(): Plugin {
  return {
    name: 'points-minify-css-templates',
    apply: 'build',
    transform(code, id) {
      if (!id.includes('/widgets/') || !id.endsWith('.ts')) return undefined;
      const minified = code.replace(/\bcss`([^`$]*)`/g, (_, text: string) => `css\`${minifiedCss(text)}\``);
      return minified === code ? undefined : { code: minified, map: null };
    },
  };
}
