/** The cost model: pure, no I/O, runs in Node and in the renderer. See docs/costs.md. */

export * from './analytics-copy';
export * from './answer';
export * from './budget-schedule';
export * from './compare';
export * from './duration';
export * from './estimate';
export * from './format';
export * from './free-tier';
export * from './interval';
export * from './logging-share';
export * from './prices';
export * from './usage';
