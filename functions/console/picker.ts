// A multiple choice out of hundreds (topics, countries): a filter box over a list of checkboxes, and the choices so
// far as removable chips. Native checkboxes and buttons only, so keyboard and screen readers work as usual.
import { h, replaceChildren, uid } from './dom.js';

export interface Choice {
  value: string;
  label: string;
  /** Shown smaller after the label (its parent topics, its code). */
  hint?: string;
  /** Indentation level in the list. */
  depth?: number;
}

export interface PickerOptions {
  legend: string;
  /** Name of one item in messages ("topic", "country"). */
  noun: string;
  choices: readonly Choice[];
  selected: Set<string>;
  onChange: () => void;
}

/** At most this many rows are drawn at once; the filter narrows the rest. */
const MAX_ROWS = 150;

export function multiPicker(options: PickerOptions): HTMLFieldSetElement {
  const { legend, noun, choices, selected, onChange } = options;
  const chips = h('ul', { class: 'chips', 'aria-label': `Chosen ${noun} list` });
  const list = h('ul', { class: 'choices', id: uid('choices'), 'aria-label': legend });
  const more = h('p', { class: 'hint' });
  const filter = h('input', { type: 'search', autocomplete: 'off', 'aria-controls': list.id, placeholder: `Type to find a ${noun}` });
  const labelOf = (value: string) => choices.find((c) => c.value === value)?.label ?? value;

  const drawChips = () => {
    replaceChildren(
      chips,
      selected.size === 0
        ? h('li', { class: 'hint' }, `No ${noun} chosen: any ${noun} matches.`)
        : [...selected].map((value) =>
            h(
              'li',
              {},
              h(
                'button',
                {
                  type: 'button',
                  class: 'chip',
                  'aria-label': `Remove ${labelOf(value)}`,
                  onclick: () => {
                    selected.delete(value);
                    drawChips();
                    drawList();
                    onChange();
                  },
                },
                labelOf(value),
                h('span', { 'aria-hidden': 'true' }, ' ×'),
              ),
            ),
          ),
    );
  };

  const drawList = () => {
    const needle = filter.value.trim().toLocaleLowerCase();
    const shown = choices.filter((c) => needle === '' || `${c.label} ${c.hint ?? ''} ${c.value}`.toLocaleLowerCase().includes(needle));
    replaceChildren(
      list,
      shown.slice(0, MAX_ROWS).map((choice) => {
        const id = uid('c');
        return h(
          'li',
          { class: `depth-${Math.min(choice.depth ?? 0, 5)}` },
          h('input', {
            type: 'checkbox',
            id,
            value: choice.value,
            checked: selected.has(choice.value),
            onchange: (event: Event) => {
              const box = event.currentTarget as HTMLInputElement;
              if (box.checked) selected.add(choice.value);
              else selected.delete(choice.value);
              drawChips();
              onChange();
            },
          }),
          h('label', { for: id }, choice.label, choice.hint === undefined ? null : h('span', { class: 'hint' }, ` ${choice.hint}`)),
        );
      }),
    );
    rove(list.querySelector<HTMLInputElement>('input:checked') ?? list.querySelector<HTMLInputElement>('input'));
    more.textContent =
      shown.length > MAX_ROWS ? `${shown.length - MAX_ROWS} more: type to narrow the list.` : shown.length === 0 ? `No ${noun} matches “${filter.value}”.` : '';
  };

  // The list is one stop in the tab order (a roving tabindex): arrow keys move within it, Space ticks, Tab leaves.
  const boxes = () => [...list.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')];
  const rove = (to: HTMLInputElement | null) => {
    for (const box of boxes()) box.tabIndex = box === to ? 0 : -1;
  };
  list.addEventListener('keydown', (event) => {
    const all = boxes();
    const at = all.indexOf(document.activeElement as HTMLInputElement);
    if (at === -1) return;
    const step: Record<string, number> = { ArrowDown: at + 1, ArrowRight: at + 1, ArrowUp: at - 1, ArrowLeft: at - 1, Home: 0, End: all.length - 1, PageDown: at + 10, PageUp: at - 10 };
    const target = step[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = all[Math.max(0, Math.min(all.length - 1, target))];
    if (next) {
      rove(next);
      next.focus();
    }
  });
  filter.addEventListener('input', drawList);
  drawChips();
  drawList();
  const filterId = uid('filter');
  filter.id = filterId;
  return h(
    'fieldset',
    { class: 'picker' },
    h('legend', {}, legend),
    chips,
    h('label', { for: filterId, class: 'visually-hidden' }, `Find a ${noun}`),
    filter,
    list,
    more,
  );
}
