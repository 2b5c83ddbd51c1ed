export * from './messages.js';
export * from './codec.js';
export type * from './http.js';
