/// <reference lib="dom" />
/**
 * DOM building for the panel. Text goes in with textContent only: plan text, table and
 * index names come from the database and are attacker-controlled (a table may be called
 * `<img src=x onerror=alert(1)>`). Nothing in media/plan uses innerHTML.
 */

export interface Props {
  class?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string | number | boolean | null | undefined>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, children: Array<Node | string | null | undefined | false> = []): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.text !== undefined) el.textContent = props.text;
  if (props.title) el.title = props.title;
  if (props.attrs) {
    for (const [k, v] of Object.entries(props.attrs)) {
      if (v === null || v === undefined || v === false) continue;
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

export const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

export function clear(el: Element): void {
  el.replaceChildren();
}

export function button(label: string, props: Props = {}, onClick?: (e: MouseEvent) => void): HTMLButtonElement {
  const b = h('button', { ...props, text: label, attrs: { type: 'button', ...(props.attrs ?? {}) } });
  if (onClick) b.addEventListener('click', onClick);
  return b;
}

/** Appends the children that are not null/false (Element.append would print "null"). */
export function add(parent: Element, ...children: Array<Node | string | null | undefined | false>): void {
  for (const c of children) if (c !== null && c !== undefined && c !== false) parent.append(c);
}
