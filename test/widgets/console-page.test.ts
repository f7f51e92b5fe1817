import { expect, fixture, html } from '@open-wc/testing';
import { ConfirmedAction } from '../../widgets/console/confirmed-action.ts';
import { ConsoleClient, ConsoleRequestError } from '../../widgets/console/console-client.ts';
import { ConsoleData } from '../../widgets/console/console-data.ts';
import { ConsolePage } from '../../widgets/console/console-page.ts';
import { failureAlert } from '../../widgets/console/failure-alert.ts';
import { shadowText, waitUntil } from './helpers.ts';

/** One request the scripted client was asked, held until the test answers or fails it. */
interface HeldRequest {
  request: string;
  answer(body: unknown): void;
  fail(detail: string): void;
}

/** A console client whose every request waits for the test: `held[i]` is the i-th request asked. */
class ScriptedClient extends ConsoleClient {
  readonly held: HeldRequest[] = [];

  override get<T>(path: string): Promise<T> {
    return this.hold(`GET ${path}`) as Promise<T>;
  }

  override post<T>(path: string): Promise<T> {
    return this.hold(`POST ${path}`) as Promise<T>;
  }

  get requests(): string[] {
    return this.held.map((held) => held.request);
  }

  private hold(request: string): Promise<unknown> {
    return new Promise((answer, fail) =>
      this.held.push({
        request,
        answer,
        fail: (detail) => fail(new ConsoleRequestError(503, 'storage_unavailable', detail)),
      }),
    );
  }
}

/** A page as the console's are made: a list read on connect, and a confirmed removal of one entry. */
class TestConsolePage extends ConsolePage {
  query = 'first';
  readonly things = new ConsoleData<string[]>(this, () => `things?q=${this.query}`);
  readonly removal = new ConfirmedAction<string>(this, {
    run: async (thing) => {
      await this.client.post(`things/${thing}/remove`);
      return `removed ${thing}`;
    },
    reload: this.things,
  });

  override render() {
    return html`${this.removal.status()} ${failureAlert(this.removal.error, this.lang)}
      ${this.things.failure()}
      <ul>
        ${this.things.value?.map(
          (thing) => html`<li><button @click=${() => this.removal.ask(thing)}>${thing}</button></li>`,
        )}
      </ul>
      ${this.removal.step((thing) => thing)}`;
  }
}
customElements.define('test-console-page', TestConsolePage);

async function page(client: ScriptedClient) {
  return fixture<TestConsolePage>(html`<test-console-page lang="en" .client=${client}></test-console-page>`);
}

const text = (el: TestConsolePage, selector: string) =>
  (el.shadowRoot!.querySelector(selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
const items = (el: TestConsolePage) =>
  [...el.shadowRoot!.querySelectorAll('li')].map((item) => item.textContent!.trim()).join(',');

describe('the console pages’ shared reading and confirming', () => {
  it('reads when the page connects, busy until the answer, then shows it', async () => {
    const client = new ScriptedClient();
    const el = await page(client);
    expect(client.requests).to.deep.equal(['GET things?q=first']);
    expect(el.things.busy).to.equal(true);
    client.held[0]!.answer(['tea', 'coffee']);
    await waitUntil(() => !el.things.busy, 'the read ended');
    await el.updateComplete;
    expect(items(el)).to.equal('tea,coffee');
    expect(el.things.value).to.deep.equal(['tea', 'coffee']);
    expect(text(el, '[role=alert]')).to.equal('');
  });

  it('shows why a read failed in an alert, and Try again reads again and clears it', async () => {
    const client = new ScriptedClient();
    const el = await page(client);
    client.held[0]!.fail('storage is unavailable');
    await waitUntil(() => el.things.error, 'the failure');
    await el.updateComplete;
    expect(text(el, '[role=alert]')).to.equal('That failed: storage is unavailable');
    expect(el.things.busy).to.equal(false);

    el.shadowRoot!.querySelector<HTMLButtonElement>('button.retry')!.click();
    expect(el.things.error).to.equal('');
    expect(el.things.busy).to.equal(true);
    await el.updateComplete;
    expect(Boolean(el.shadowRoot!.querySelector('button.retry'))).to.equal(false);
    client.held[1]!.answer(['tea']);
    await waitUntil(() => !el.things.busy, 'the second read ended');
    await el.updateComplete;
    expect(client.requests).to.deep.equal(['GET things?q=first', 'GET things?q=first']);
    expect(text(el, '[role=alert]')).to.equal('');
    expect(items(el)).to.equal('tea');
  });

  it('drops an answer to a read that a newer one replaced, whichever arrives first', async () => {
    const client = new ScriptedClient();
    const el = await page(client);
    el.query = 'second';
    const second = el.things.reload();
    expect(client.requests).to.deep.equal(['GET things?q=first', 'GET things?q=second']);
    client.held[1]!.answer(['second answer']);
    await second;
    client.held[0]!.answer(['first answer, late']);
    await el.updateComplete;
    await new Promise((done) => setTimeout(done, 20));
    expect(items(el)).to.equal('second answer');
    expect(el.things.busy).to.equal(false);

    // A newer read still under way: the older one's failure is not shown, and it stays busy.
    el.query = 'third';
    const third = el.things.reload();
    el.query = 'fourth';
    const fourth = el.things.reload();
    client.held[2]!.fail('too late to matter');
    await third;
    await el.updateComplete;
    expect([el.things.error, el.things.busy]).to.deep.equal(['', true]);
    client.held[3]!.answer(['fourth answer']);
    await fourth;
    await el.updateComplete;
    expect([items(el), text(el, '[role=alert]'), el.things.busy]).to.deep.equal(['fourth answer', '', false]);
  });

  it('asks first with focus on Confirm, acts busy, says what became of it and reads again', async () => {
    const client = new ScriptedClient();
    const el = await page(client);
    client.held[0]!.answer(['tea', 'coffee']);
    await waitUntil(() => items(el) === 'tea,coffee');
    el.shadowRoot!.querySelector('button')!.click();
    await waitUntil(() => el.shadowRoot!.activeElement?.id === 'confirm', 'focus on Confirm');
    expect(text(el, '[role=group]')).to.equal('Confirm this action? tea Confirm Back');
    const group = el.shadowRoot!.querySelector('[role=group]')!;
    expect(group.getAttribute('aria-labelledby')).to.equal('confirm-question');
    expect(el.shadowRoot!.getElementById('confirm-question')!.textContent!.trim()).to.equal(
      'Confirm this action? tea',
    );

    el.shadowRoot!.querySelector<HTMLButtonElement>('#confirm')!.click();
    await el.updateComplete;
    expect(client.requests.at(-1)).to.equal('POST things/tea/remove');
    expect(text(el, '[role=status]')).to.equal('Loading…');
    expect(el.shadowRoot!.querySelector<HTMLButtonElement>('#confirm')!.disabled).to.equal(true);
    client.held[1]!.answer({});
    await waitUntil(() => client.held.length === 3, 'the reload after the action');
    expect(client.requests[2]).to.equal('GET things?q=first');
    // Still busy while the page reads again; the step is closed.
    await el.updateComplete;
    expect([text(el, '[role=status]'), text(el, '[role=group]')]).to.deep.equal(['Loading…', '']);
    client.held[2]!.answer(['coffee']);
    await waitUntil(() => !el.removal.busy, 'the action ended');
    await el.updateComplete;
    expect([text(el, '[role=status]'), items(el)]).to.deep.equal(['removed tea', 'coffee']);
  });

  it('a failed action says why and keeps the step open; Back closes it, and asking again clears the failure', async () => {
    const client = new ScriptedClient();
    const el = await page(client);
    client.held[0]!.answer(['tea']);
    await waitUntil(() => items(el) === 'tea');
    el.removal.ask('tea');
    await el.updateComplete;
    el.shadowRoot!.querySelector<HTMLButtonElement>('#confirm')!.click();
    client.held[1]!.fail('Points refused it');
    await waitUntil(() => el.removal.error, 'the failure');
    await el.updateComplete;
    expect(text(el, '[role=alert]')).to.equal('That failed: Points refused it');
    // An action is asked for again, through its confirmation: no one-click retry.
    expect(Boolean(el.shadowRoot!.querySelector('button.retry'))).to.equal(false);
    expect(text(el, '[role=status]')).to.equal('');
    expect(text(el, '[role=group]')).to.equal('Confirm this action? tea Confirm Back');
    expect(client.held).to.have.length(2);

    [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role=group] button')].at(-1)!.click();
    await el.updateComplete;
    expect(text(el, '[role=group]')).to.equal('');
    el.removal.ask('tea');
    await el.updateComplete;
    expect(text(el, '[role=alert]')).to.equal('');
    expect(shadowText(el)).to.contain('Confirm this action? tea');
  });

  it('speaks Arabic unless told, with the page’s own words', async () => {
    const client = new ScriptedClient();
    const el = await fixture<TestConsolePage>(
      html`<test-console-page .client=${client}></test-console-page>`,
    );
    expect(el.getAttribute('lang')).to.equal('ar');
    client.held[0]!.fail('x');
    await waitUntil(() => el.things.error);
    await el.updateComplete;
    expect(text(el, '[role=alert]')).to.equal('تعذر ذلك: x');
  });
});
