import { createServer } from 'node:http';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the server answers to one request: a response, or no answer at all (`hang`). */
export type ScriptedAnswer =
  { status: number; body?: unknown; headers?: Record<string, string> } | { hang: true } | { destroy: true };

/**
 * A real HTTP server on 127.0.0.1 that answers from a script, one entry per request (the last entry
 * repeats). This is the transport boundary of the Points client, so scripting it is fair.
 */
export async function startScriptedServer(
  script: ScriptedAnswer[] | ((req: RecordedRequest) => ScriptedAnswer),
) {
  const requests: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const answer =
        typeof script === 'function'
          ? script(recorded)
          : (script[requests.length - 1] ?? script[script.length - 1] ?? { status: 500 });
      if ('hang' in answer) {
        hanging.add(res);
        return;
      }
      if ('destroy' in answer) {
        req.socket.destroy();
        return;
      }
      const text =
        answer.body === undefined
          ? ''
          : typeof answer.body === 'string'
            ? answer.body
            : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api`,
    port,
    requests,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const { port, close } = await startScriptedServer([{ status: 200 }]);
  await close();
  return port;
}
