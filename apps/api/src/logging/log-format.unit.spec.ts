import { describe, expect, it } from 'vitest';
import { chooseLogFormat } from './log-format.js';

describe('chooseLogFormat', () => {
  it.each([
    ['auto', true, 'pretty'],
    ['auto', false, 'json'],
    ['auto', undefined, 'json'],
    ['json', true, 'json'],
    ['json', false, 'json'],
    ['pretty', false, 'pretty'],
    ['pretty', true, 'pretty'],
  ] as const)('LOG_FORMAT=%s with a terminal: %s gives %s lines', (setting, isTTY, format) => {
    expect(chooseLogFormat(setting, isTTY)).toBe(format);
  });
});
