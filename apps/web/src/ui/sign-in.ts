import { openReadSession } from '../api/api.ts';
import { el, replaceChildren, setText } from '../base/dom.ts';

/**
 * The read-token form, shown when the API closes reads (`TIMELINE_READ_TOKENS`) and the browser has no
 * session yet. The token goes to `POST /api/session` once and comes back as an HttpOnly cookie; it is
 * never kept by the page, in storage or in the URL. Resolves once a session is open.
 */
export function askForReadToken(root: HTMLElement): Promise<void> {
  return new Promise((resolve) => {
    const input = el('input', {
      id: 'read-token',
      type: 'password',
      autocomplete: 'current-password',
      required: true,
      maxlength: '512',
      'data-testid': 'read-token',
    });
    const message = el('p', {
      class: 'sign-in-message',
      role: 'status',
      'data-testid': 'read-token-message',
    });
    const submit = el('button', { type: 'submit', 'data-testid': 'read-token-submit' }, 'Open the timeline');
    const form = el(
      'form',
      { class: 'sign-in', 'aria-labelledby': 'sign-in-heading' },
      el('h2', { id: 'sign-in-heading' }, 'This timeline needs a read token'),
      el('label', { for: 'read-token' }, 'Read token'),
      input,
      submit,
      message,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      submit.disabled = true;
      setText(message, 'Checking…');
      openReadSession(input.value)
        .then((accepted) => {
          if (accepted) {
            input.value = '';
            root.hidden = true;
            replaceChildren(root);
            resolve();
            return;
          }
          setText(message, 'That token is not accepted. Ask whoever runs this timeline for a read token.');
          input.select();
        })
        .catch((error: unknown) =>
          setText(
            message,
            `The API could not be reached (${error instanceof Error ? error.message : String(error)}); try again.`,
          ),
        )
        .finally(() => {
          submit.disabled = false;
        });
    });
    root.hidden = false;
    replaceChildren(root, form);
    input.focus();
  });
}
