import { timelineVitestConfig } from '../../vitest.shared.ts';

export default timelineVitestConfig();
