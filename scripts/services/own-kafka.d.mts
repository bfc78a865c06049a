export function startOwnKafka(stateDir: string): Promise<{ pid: number; brokers: string; stop(): void }>;
