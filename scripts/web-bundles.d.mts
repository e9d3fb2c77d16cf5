// Types of web-bundles.mjs for its test.
import type { BuildOptions } from 'esbuild';

export declare const browserOptions: BuildOptions;
export declare const webBundles: (BuildOptions & { entryPoints: string[]; outfile: string })[];
