// Types of core-types.mjs for its test.
export declare function emitCoreTypes(dist?: string): void;
