import { timelineVitestConfig } from '../vitest.shared.ts';

// Each check cruises a scratch tree in a child process: a few seconds apiece.
export default timelineVitestConfig({ testTimeout: 60_000 });
