/** Types of tools/disk-cache.js (plain CommonJS, see there). */
export declare function cacheKey(parts: string[]): string;
export declare function readCache(namespace: string, key: string): string | undefined;
export declare function writeCache(namespace: string, key: string, text: string): void;
export declare function packageVersion(name: string): string;
export declare const CACHE_ROOT: string;
/** Node compile cache in this cache (see there). */
export declare function enableCompileCache(): void;
