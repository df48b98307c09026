import type { ConsumerRunConfig } from 'kafkajs';

/**
 * A kafkajs consumer that connects to nothing and hands its `run` configuration (the eachBatch or
 * eachMessage handler) to the test, which then plays the broker by calling it. `calls` records
 * pause and resume.
 */
export function fakeConsumer(onRun: (config: ConsumerRunConfig) => void, calls: string[] = []) {
  return {
    events: { CRASH: 'crash' },
    on: () => undefined,
    connect: async () => undefined,
    subscribe: async () => undefined,
    disconnect: async () => undefined,
    run: async (config: ConsumerRunConfig) => onRun(config),
    pause: () => calls.push('pause'),
    resume: () => calls.push('resume'),
  };
}
