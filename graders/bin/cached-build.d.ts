/** See cached-build.js. */
export function cachedBuild(options: { root: string; entry: string; into: string; name: string }): Promise<string>;
