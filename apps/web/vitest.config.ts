import { timelineVitestConfig } from '../../vitest.shared.ts';

// End-to-end specs start the whole stack and a browser: longer timeouts, one file at a time.
export default timelineVitestConfig({ testTimeout: 120_000, fileParallelism: false });
