import type { LogFormatSetting } from '../config/config.js';

export type LogFormat = 'pretty' | 'json';

/** A person at a terminal reads lines; a pipe, a file or a log collector gets JSON to parse. */
export function chooseLogFormat(setting: LogFormatSetting, isTTY: boolean | undefined): LogFormat {
  if (setting === 'auto') return isTTY ? 'pretty' : 'json';
  return setting;
}
