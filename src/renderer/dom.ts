/**
 * Tiny DOM builder so views stay plain TypeScript:
 *   h('button', { type: 'button', on: { click: go } }, 'Upload now') → <button type="button">Upload now</button>
 * Text goes through textContent, never innerHTML, so values from logs cannot inject markup.
 */
type Child = Node | string | number | null | undefined | false;
type Handlers = Partial<Record<keyof HTMLElementEventMap, (event: Event) => void>>;
/** Attributes, and `on`: event listeners (the one key that is not an attribute). */
type Props = { on?: Handlers; [name: string]: string | number | boolean | undefined | Handlers };

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === 'on' || value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [event, handler] of Object.entries(props.on ?? {})) {
    if (handler) element.addEventListener(event, handler);
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A labelled form field: <label for=id>text</label> + control + an error slot tied by aria-describedby. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id;
  const error = h('p', {
    class: 'field-error',
    id: `${id}-error`,
    'data-error-for': control.dataset.field ?? id,
    role: 'alert',
  });
  control.setAttribute('aria-describedby', `${id}-error${hint ? ` ${id}-hint` : ''}`);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    control,
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
    error,
  );
}
