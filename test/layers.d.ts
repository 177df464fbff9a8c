// Types for test/layers.js (plain JS, so that the ESLint config can load it on any Node).
export declare const LAYERS: readonly (readonly string[])[];
export declare function layerRules(): { settings: Record<string, unknown>; rules: Record<string, unknown> };
