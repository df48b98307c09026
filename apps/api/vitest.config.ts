import { timelineVitestConfig } from '../../vitest.shared.ts';

// Files run one at a time: one suite stops and restarts the shared Kafka broker.
export default timelineVitestConfig({ testTimeout: 60_000, fileParallelism: false });
