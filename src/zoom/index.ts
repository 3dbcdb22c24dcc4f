/** The Zoom layer: plain Node, no `vscode` import. */
export * from './types';
export * from './categories';
export * from './dates';
export * from './errors';
export * from './retry';
export * from './rateLimiter';
export * from './logger';
export * from './http';
export * from './auth';
export * from './client';
export * from './paging';
export * from './setupCheck';
export type { RetryPolicy } from './retrying';
export * from './rawEntry';
export * from './split';
