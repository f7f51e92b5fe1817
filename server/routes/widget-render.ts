import { Hono } from 'hono';
import type { EdgeContext } from '../edge-context.ts';
import { ProblemError } from '../http/problem.ts';

/** How long a rendered fragment may be reused: as long as `/config`, whose earn rate it shows. */
const fragmentMaxAgeSeconds = 300;

/**
 * Most query parameters a fragment is asked with: more than any element has attributes, plus the nonce.
 * Past it, one problem, not a line for each name (13 KB of names once drew a 500 KB answer).
 */
const maxParameters = 24;

/** Attributes that carry one order's credential: a fragment holding one is no shared cache's to keep. */
const credentialAttributes = ['order-token', 'token'];

/**
 * `GET /widgets/render/<tag>?<attribute>=<value>…[&nonce=…]`: one of our elements rendered on the server, as
 * an HTML fragment a PHP, Python or Ruby back end includes in its page (see `renderWidget`). The query is
 * the element's attributes; `earn-rate` defaults to this server's, so the message is final at first paint.
 * `nonce` is the page's CSP nonce, put on the fragment's `<style>`s. Public and cacheable, but for a
 * fragment that carries an order token or a status token (`private, no-store`).
 *
 * @example
 * curl 'https://edge.example.com/widgets/render/points-product-message?amount=199&lang=ar'
 */
export function widgetRenderRoutes(ctx: EdgeContext): Hono {
  const app = new Hono();

  app.get('/widgets/render/:tag', async (c) => {
    // Loaded on first use: a server that never renders never installs Lit's server DOM.
    const { isWidgetTag, renderWidget, WidgetAttributeError } =
      await import('../../widgets/ssr/render-widget.ts');
    const tag = c.req.param('tag');
    if (!isWidgetTag(tag)) throw new ProblemError('not_found', `${tag} is not a Points element.`);
    const queries = Object.entries(c.req.queries());
    if (queries.length > maxParameters) {
      throw new ProblemError('validation_failed', `Give at most ${maxParameters} attributes.`);
    }
    const attributes: Record<string, string> = {};
    const repeated: Record<string, string[]> = {};
    for (const [name, values] of queries) {
      if (values.length > 1) repeated[name] = ['is given more than once'];
      attributes[name] = values[0] ?? '';
    }
    if (Object.keys(repeated).length > 0) {
      throw new ProblemError('validation_failed', 'Give each attribute once.', repeated);
    }
    const { nonce, ...elementAttributes } = attributes;
    try {
      const markup = await renderWidget(tag, elementAttributes, {
        nonce,
        earnRate: ctx.config.earnRate,
      });
      const carriesCredential = credentialAttributes.some((name) => elementAttributes[name] !== undefined);
      c.header(
        'cache-control',
        carriesCredential ? 'private, no-store' : `public, max-age=${fragmentMaxAgeSeconds}`,
      );
      c.header('access-control-allow-origin', '*');
      return c.html(markup);
    } catch (error) {
      if (error instanceof WidgetAttributeError) {
        throw new ProblemError('validation_failed', `${error.message}.`, error.errors);
      }
      throw error;
    }
  });

  return app;
}
