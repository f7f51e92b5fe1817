import { expect } from '@open-wc/testing';
import { cachedConfig, clearConfigCache, configTtlMs, loadConfig } from '../../widgets/shared/config.ts';
import { json, scriptServer, uniqueServer, type ScriptedServer } from './helpers.ts';

const config = { environment: 'sandbox', currency: 'SAR', earnRate: 10, features: {}, defaultLanguage: 'ar' };

describe('edge /config cache', () => {
  let server: ScriptedServer | undefined;
  afterEach(() => {
    server?.restore();
    clearConfigCache();
  });

  it('shares one request between every caller on the page', async () => {
    server = scriptServer(() => json(config));
    const edge = uniqueServer();
    const answers = await Promise.all([loadConfig(edge), loadConfig(edge), loadConfig(edge)]);
    expect(answers.map((answer) => answer.earnRate)).to.deep.equal([10, 10, 10]);
    expect(server.requests).to.have.length(1);
    expect(server.requests[0]!.url.href).to.equal(`${edge}config`);
  });

  it('keeps the config in localStorage for the next pages, until its TTL runs out', async () => {
    server = scriptServer(() => json(config));
    const edge = uniqueServer();
    await loadConfig(edge);
    const saved = JSON.parse(localStorage.getItem(`points-config:${edge}`)!) as { at: number };
    clearConfigCache(); // a new page: memory is gone, storage stays
    localStorage.setItem(`points-config:${edge}`, JSON.stringify({ at: saved.at, config }));
    expect(cachedConfig(edge, saved.at + configTtlMs - 1)?.earnRate).to.equal(10);
    clearConfigCache();
    localStorage.setItem(`points-config:${edge}`, JSON.stringify({ at: saved.at, config }));
    expect(cachedConfig(edge, saved.at + configTtlMs + 1)).to.equal(undefined);
  });

  it('ignores a corrupt or invalid saved entry', () => {
    const edge = uniqueServer();
    localStorage.setItem(`points-config:${edge}`, '{not json');
    expect(cachedConfig(edge)).to.equal(undefined);
    localStorage.setItem(
      `points-config:${edge}`,
      JSON.stringify({ at: Date.now(), config: { earnRate: 'ten' } }),
    );
    expect(cachedConfig(edge)).to.equal(undefined);
  });

  it('rejects an answer without a usable earn rate, and asks a failing server only once', async () => {
    server = scriptServer(() => json({ earnRate: -1 }));
    const edge = uniqueServer();
    const results = await Promise.allSettled([loadConfig(edge), loadConfig(edge)]);
    expect(results.map((result) => result.status)).to.deep.equal(['rejected', 'rejected']);
    await loadConfig(edge).catch(() => undefined);
    expect(server.requests).to.have.length(1);
  });
});
