export type * from './origin.ts';
export type * from './process.ts';
export type * from './group.ts';
export type * from './deployment.ts';
export type * from './finding.ts';
export type * from './health.ts';
