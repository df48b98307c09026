import { poller } from '@timeline/testing';

// One implementation for every app's suites: @timeline/testing/kafka.
export {
  consumeTopic,
  deleteTopicsWithPrefix,
  KAFKA_BROKERS,
  testKafka,
  uniqueTopicPrefix,
} from '@timeline/testing/kafka';

/** Polls `probe` every 50 ms until it returns a value (not undefined/false); throws after `timeoutMs` (30 s). */
export const waitFor = poller({ timeoutMs: 30_000, intervalMs: 50 });
