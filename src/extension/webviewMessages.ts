/**
 * The messages a webview (media/panel.js) sends to the extension. A webview
 * is not trusted: anything it posts is read field by field here, and what is
 * not one of these messages is ignored. Pure, so it is unit-tested.
 */
import type { Layout } from '../core/api';

export const COPY_FORMATS = ['latex', 'text', 'code', 'numpy'] as const;
export type CopyFormat = (typeof COPY_FORMATS)[number];

export type WebviewMessage =
  | { readonly type: 'ready' }
  /** Any string: an unknown operation means the default (see session.ts). */
  | { readonly type: 'op'; readonly op: string }
  | { readonly type: 'layout'; readonly layout: Layout }
  | { readonly type: 'wrt'; readonly wrt: readonly string[] }
  | { readonly type: 'at'; readonly point: string }
  | { readonly type: 'copy'; readonly format: CopyFormat }
  | { readonly type: 'steps'; readonly view: string }
  | { readonly type: 'layouts'; readonly both: boolean }
  | { readonly type: 'history'; readonly index: number };

/** `m` as a message, or undefined; a history index must be an entry of the `historyLength` shown. */
export function readWebviewMessage(m: unknown, historyLength: number): WebviewMessage | undefined {
  if (typeof m !== 'object' || m === null) return undefined;
  const f = m as Record<string, unknown>;
  switch (f.type) {
    case 'ready':
      return { type: 'ready' };
    case 'op':
      return typeof f.op === 'string' ? { type: 'op', op: f.op } : undefined;
    case 'layout':
      return f.layout === 'numerator' || f.layout === 'denominator'
        ? { type: 'layout', layout: f.layout }
        : undefined;
    case 'wrt':
      return Array.isArray(f.wrt)
        ? { type: 'wrt', wrt: f.wrt.filter((n): n is string => typeof n === 'string') }
        : undefined;
    case 'at':
      return typeof f.point === 'string' ? { type: 'at', point: f.point } : undefined;
    case 'copy':
      return (COPY_FORMATS as readonly unknown[]).includes(f.format)
        ? { type: 'copy', format: f.format as CopyFormat }
        : undefined;
    case 'steps':
      return typeof f.view === 'string' ? { type: 'steps', view: f.view } : undefined;
    case 'layouts':
      return { type: 'layouts', both: f.both === true };
    case 'history':
      return Number.isInteger(f.index) && (f.index as number) >= 0 && (f.index as number) < historyLength
        ? { type: 'history', index: f.index as number }
        : undefined;
    default:
      return undefined;
  }
}
