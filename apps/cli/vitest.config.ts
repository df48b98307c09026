import { timelineVitestConfig } from '../../vitest.shared.ts';

export default timelineVitestConfig({ testTimeout: 60_000 });
