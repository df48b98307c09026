/**
 * The only way this app builds DOM. Children are appended as text nodes or elements and attributes are
 * set with `setAttribute`, so no string ever reaches the page as HTML: an event's title that reads
 * `<img onerror=…>` is shown as those characters. Event handlers are wired with `addEventListener`,
 * never through `on…` attributes, and URLs with a script scheme are refused.
 */

export type Child = Node | string | number | null | undefined | false;
export type AttrValue = string | number | boolean | null | undefined;
export type Attrs = Readonly<Record<string, AttrValue>>;

const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href']);
const SAFE_URL = /^(https?:|mailto:|#|\/|\.{0,2}\/|\?)/i;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (attrs) setAttrs(node, attrs);
  append(node, ...children);
  return node;
}

export function setAttrs(node: Element, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('on') || lower === 'srcdoc') {
      throw new Error(`el(): refusing to set '${name}'; wire handlers with addEventListener`);
    }
    if (value === false || value === null || value === undefined) {
      node.removeAttribute(name);
      continue;
    }
    const text = value === true ? '' : String(value);
    if (URL_ATTRIBUTES.has(lower) && !SAFE_URL.test(text.trim())) {
      throw new Error(
        `el(): refusing ${name}=${JSON.stringify(text)}; only http(s), mailto and relative URLs`,
      );
    }
    node.setAttribute(name, text);
  }
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(
      typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child,
    );
  }
}

/** Replaces every child of `parent` (the text-only counterpart of assigning innerHTML). */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

export function setText(node: Node, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

/** `querySelector` that fails loudly: the shell in index.html and the code must agree. */
export function must<T extends Element = HTMLElement>(root: ParentNode, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`missing element ${selector}`);
  return found;
}
