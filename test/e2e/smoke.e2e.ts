import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createStoreApp } from '../../demo/store/app.ts';
import { chromiumArgs, findChromium } from '../support/chromium.ts';

let server: ServerType;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  const widgetsDir = new URL('../../dist/widgets', import.meta.url).pathname;
  server = serve({ fetch: createStoreApp({ widgetsDir }).fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((ready) => server.once('listening', ready));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs });
});

afterAll(async () => {
  await browser?.close();
  server?.close();
});

it('the demo product page loads the built bundle and shows the points line', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${baseUrl}/`);
  // Playwright's CSS engine pierces open shadow roots, so this finds the element's rendered line.
  const message = page.locator('points-product-message [part=message]');
  expect(await message.innerText()).toContain('Earn 1,990 Points');
  expect(errors).toEqual([]);
});
