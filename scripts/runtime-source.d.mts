// Types of runtime-source.mjs for the test that keeps the generated table current.
export declare const GENERATED: string;
export declare function runtimeSource(): Promise<string>;
