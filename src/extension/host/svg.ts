/**
 * Colours and sizes MathJax's SVG for a hover. A hover shows it as an
 * `<img>` from a data URL, which neither inherits the editor's colour nor its
 * font size, so both are written into the SVG itself. Pure (no `vscode`).
 */

/** The values of `vscode.ColorThemeKind`. */
export enum ThemeKind {
  Light = 1,
  Dark = 2,
  HighContrast = 3,
  HighContrastLight = 4,
}

/** Foreground of VS Code's default theme of each kind (`editor.foreground`), which a hover's text uses. */
export function themeColour(kind: ThemeKind | number): string {
  switch (kind) {
    case ThemeKind.Light:
      return '#1f1f1f';
    case ThemeKind.HighContrast:
      return '#ffffff';
    case ThemeKind.HighContrastLight:
      return '#000000';
    default:
      return '#cccccc';
  }
}

/** Pixels per MathJax `ex` at scale 1: math a little larger than the hover's 13px text, as in the editor. */
const PX_PER_EX = 8.5;

/**
 * Sets `fill`, `stroke` and `color` on the root `<svg>` (and resolves
 * `currentColor`, which an image cannot inherit), and turns the `ex` width and
 * height into pixels times `scale`.
 */
export function styleSvg(svg: string, kind: ThemeKind | number, scale: number): string {
  const colour = themeColour(kind);
  const factor = PX_PER_EX * (Number.isFinite(scale) && scale > 0 ? scale : 1);
  return svg.replace(/currentColor/g, colour).replace(/^<svg\b([^>]*)>/, (_, attrs: string) => {
    const sized = attrs.replace(
      /\s(width|height)="([\d.]+)ex"/g,
      (_m, name: string, ex: string) => ` ${name}="${(parseFloat(ex) * factor).toFixed(1)}px"`,
    );
    return `<svg fill="${colour}" stroke="${colour}" color="${colour}"${sized}>`;
  });
}

export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${utf8Base64(svg)}`;
}

/** Base64 of the text's UTF-8, without Node's `Buffer` (the web build has none). */
function utf8Base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  // In slices: spreading a whole large SVG into one call's arguments overflows the stack.
  for (let at = 0; at < bytes.length; at += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}
