/**
 * The upload agent: `createAgent(config, deps)` → an Agent (start, stop, pause, resume, uploadNow, status…).
 * create-agent.ts performs the effects, model.ts holds the rules (a pure transition function).
 */
export { type AgentConfig, type AgentDeps, DEFAULTS, type StateLock, type Timers } from './config';
export { createAgent } from './create-agent';
export type * from './types';
