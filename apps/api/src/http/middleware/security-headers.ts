import type { RequestStep } from '../http-types.js';

/** The API answers JSON only; these keep a browser from reading it as anything else. */
export const securityHeaders: RequestStep = (_request, response) => {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('Cross-Origin-Resource-Policy', 'same-site');
};
