// The frame every screen shares: its heading (focused on arrival, so keyboard and screen-reader users land on it),
// sections, notices and error boxes.
import { ApiError } from './api.js';
import { h, type Child } from './dom.js';

export interface Session {
  admin: boolean;
  /** The owner a key belongs to, when the API says. */
  owner?: string;
  /** A message for the next screen (after a save that moved there). */
  flash: { text: string; secret?: string } | undefined;
}

export function heading(text: string): HTMLHeadingElement {
  return h('h1', { tabindex: -1, class: 'view-title' }, text);
}

export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', {}, h('h2', {}, title), ...children);
}

/**
 * A message, with a secret shown once in a read-only field the user can select and copy. It goes into a live region
 * that was on the page before (role=status or aria-live), so screen readers announce it.
 */
export function notice(text: string, secret?: string): HTMLElement {
  return h(
    'div',
    { class: 'notice' },
    h('p', {}, text),
    secret === undefined
      ? null
      : h('p', {}, h('label', { for: 'secret-once' }, 'Secret '), h('input', { id: 'secret-once', class: 'secret', readonly: true, value: secret, spellcheck: 'false', autocomplete: 'off' })),
  );
}

export function errorBox(error: unknown): HTMLElement {
  const text = error instanceof ApiError ? error.describe() : error instanceof Error ? error.message : String(error);
  return h('div', { class: 'error', role: 'alert' }, h('p', {}, text));
}
