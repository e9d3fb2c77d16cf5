/** What the end-to-end tests read out of the workbench: colours of SVG images, matrices in TeX. */

type Rgb = readonly [number, number, number];

const NAMED: Record<string, Rgb> = { black: [0, 0, 0], white: [255, 255, 255] };

/** `#rgb`, `#rrggbb`, `#rrggbbaa`, `rgb()`/`rgba()`, black, white. Throws on anything else. */
export function parseColor(text: string): Rgb {
  const value = text.trim().toLowerCase();
  if (NAMED[value]) return NAMED[value];
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(value);
  if (hex) {
    const digits = hex[1].length === 3 ? [...hex[1]].map((d) => d + d).join('') : hex[1];
    return [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16)) as unknown as Rgb;
  }
  const rgb = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/.exec(value);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  throw new Error(`unrecognised colour ${JSON.stringify(text)}`);
}

function luminance([r, g, b]: Rgb): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG contrast ratio, 1 (none) to 21 (black on white). */
export function contrast(a: Rgb, b: Rgb): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/**
 * The colours an SVG paints with. `currentColor` resolves to the root's `color` (an `<img>` does
 * not inherit the page's text colour, so without one it is black).
 */
export function paintColors(svg: string): string[] {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const rootColor = /\bcolor\s*[:=]\s*"?\s*([^";\s>]+)/.exec(root)?.[1];
  const paints = [...svg.matchAll(/\b(?:fill|stroke)\s*[:=]\s*"?\s*([^";\s>)]+\)?)/g)].map((m) => m[1]);
  return paints
    .filter((paint) => !['none', 'transparent'].includes(paint.toLowerCase()) && !paint.startsWith('url('))
    .map((paint) => (paint.toLowerCase() === 'currentcolor' ? (rootColor ?? 'black') : paint));
}

/** TeX reduced to what a reader compares: no spacing, sizing or grouping braces. */
export function normalizeTex(tex: string): string {
  return tex.replace(/\\(left|right|[,;:!]|big|Big|displaystyle)/g, '').replace(/[\s{}]/g, '');
}

/** Every `matrix`-family environment in the TeX, as rows of normalised entries. */
export function matricesIn(tex: string): string[][][] {
  const found = [...tex.matchAll(/\\begin\{([bpvBV]?matrix)\}([\s\S]*?)\\end\{\1\}/g)];
  return found.map((m) =>
    m[2]
      .split(/\\\\/)
      .map((row) => row.trim())
      .filter((row) => row.length > 0)
      .map((row) => row.split('&').map(normalizeTex)),
  );
}

export function transpose(rows: readonly (readonly string[])[]): string[][] {
  return rows[0].map((_, j) => rows.map((row) => row[j]));
}
