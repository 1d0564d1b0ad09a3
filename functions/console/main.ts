// The newsalert web console: a page of this API, signed in with an API key kept in sessionStorage for the tab's
// life. Screens are addressed by the URL fragment (#/subscriptions/…), which never reaches a server or a log and
// never holds the key. Plain TypeScript over the DOM, no framework: the whole console is a few tens of KB.
import { deadLettersPage, feedsPage, keysPage } from './admin.js';
import { ApiError, call, forgetKey, storedKey, storeKey, whenSignedOut } from './api.js';
import { field, h, replaceChildren } from './dom.js';
import { errorBox, heading, type Session } from './shell.js';
import { subscriptionEditor } from './subscription-editor.js';
import { subscriptionPage } from './subscription-page.js';
import { subscriptionList, type Subscription } from './subscriptions.js';

const main = document.getElementById('main') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
let session: Session | undefined;

/** Whether the key is an admin's: the keys listing answers admins only (403 for an owner key). */
async function startSession(): Promise<Session> {
  await call('GET', '/subscriptions?limit=1');
  try {
    await call('GET', '/keys?limit=1');
    return { admin: true, flash: undefined };
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return { admin: false, flash: undefined };
    throw error;
  }
}

function signInScreen(problem?: unknown): void {
  replaceChildren(nav);
  const key = h('input', { type: 'password', autocomplete: 'off', spellcheck: 'false', required: true, name: 'key' });
  const message = h('div', {}, problem === undefined ? null : errorBox(problem));
  replaceChildren(
    main,
    heading('Sign in'),
    h(
      'form',
      {
        class: 'signin',
        onsubmit: async (event: Event) => {
          event.preventDefault();
          const value = key.value.trim();
          if (value === '') return;
          storeKey(value);
          try {
            session = await startSession();
            if (location.hash === '' || location.hash === '#/' || location.hash === '#/signin') location.hash = '#/subscriptions';
            else await render();
          } catch (error) {
            forgetKey();
            replaceChildren(message, errorBox(error instanceof ApiError && error.status === 401 ? 'That key is not valid (or was revoked).' : error));
          }
        },
      },
      field('API key', key, 'An owner or admin key (newsalert keys create). It is kept in this tab only, until you close it or sign out.'),
      h('p', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Sign in')),
      message,
    ),
  );
  main.querySelector('h1')?.focus();
}

function drawNav(current: string): void {
  if (session === undefined) return;
  const links: [string, string][] = [['#/subscriptions', 'Subscriptions']];
  if (session.admin) links.push(['#/feeds', 'Feeds'], ['#/dlq', 'Dead letters'], ['#/keys', 'Keys']);
  replaceChildren(
    nav,
    h(
      'ul',
      {},
      links.map(([href, label]) => h('li', {}, h('a', { href, ...(current.startsWith(href) ? { 'aria-current': 'page' } : {}) }, label))),
      h(
        'li',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            onclick: () => {
              forgetKey();
              session = undefined;
              location.hash = '#/signin';
              signInScreen();
            },
          },
          'Sign out',
        ),
      ),
    ),
  );
}

async function render(): Promise<void> {
  if (storedKey() === undefined) {
    signInScreen();
    return;
  }
  try {
    session ??= await startSession();
  } catch (error) {
    forgetKey();
    signInScreen(error);
    return;
  }
  const route = location.hash.replace(/^#/, '') || '/subscriptions';
  drawNav(`#${route}`);
  main.setAttribute('aria-busy', 'true');
  try {
    const parts = route.split('/').filter((p) => p !== '').map(decodeURIComponent);
    if (parts[0] === 'subscriptions' && parts[1] === 'new') await subscriptionEditor(main, session);
    else if (parts[0] === 'subscriptions' && parts[1] !== undefined && parts[2] === 'edit') {
      const { body } = await call<Subscription>('GET', `/subscriptions/${encodeURIComponent(parts[1])}`);
      await subscriptionEditor(main, session, body);
    } else if (parts[0] === 'subscriptions' && parts[1] !== undefined) await subscriptionPage(main, session, parts[1]);
    else if (parts[0] === 'feeds' && session.admin) await feedsPage(main);
    else if (parts[0] === 'dlq' && session.admin) await deadLettersPage(main);
    else if (parts[0] === 'keys' && session.admin) await keysPage(main);
    else await subscriptionList(main, session);
  } catch (error) {
    if (session === undefined) return;
    replaceChildren(main, heading('Something went wrong'), errorBox(error), h('p', {}, h('a', { href: '#/subscriptions' }, 'Back to the subscriptions')));
  } finally {
    main.removeAttribute('aria-busy');
  }
  // Focus the new screen's heading: keyboard users start there, screen readers announce it.
  main.querySelector<HTMLElement>('h1')?.focus();
}

whenSignedOut(() => {
  // While signing in, a refused key is the sign-in form's own message.
  if (session === undefined) return;
  session = undefined;
  signInScreen(new Error('Signed out: the key is no longer valid.'));
});
window.addEventListener('hashchange', () => void render());
void render();
