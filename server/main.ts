/**
 * `node server/main.ts` (also `bun server/main.ts`, `deno run -A server/main.ts`): runs the edge server
 * from the environment. The entry itself is the Node runtime's, `runtime/node/main.ts`; this path stays
 * because merchants, the README and the container run it.
 */
import './runtime/node/main.ts';
