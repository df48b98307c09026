import type { Browser, Page } from 'playwright-core';

export declare const CHROMIUM_PATH: string;
export declare const CHROMIUM_ARGS: string[];
export declare function openApp(
  url: string,
  size?: { width?: number; height?: number },
): Promise<{ browser: Browser; page: Page; problems: string[] }>;
