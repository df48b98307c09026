import type { NewEvent, TimelineItem } from '@timeline/shared-types';
import { fetchStreamIds } from '../api/api.ts';
import { checkWriteToken, WriteSession, write } from '../api/write-api.ts';
import type { Mode } from '../model/url-state.ts';
import { permalink } from '../model/links.ts';
import { openAddEventForm } from '../ui/add-event-form.ts';
import type { DetailActions } from '../ui/detail-actions.ts';
import { EditControls } from '../ui/edit-controls.ts';
import { EditDialog } from '../ui/edit-dialog.ts';
import { openImportDialog } from '../ui/import-dialog.ts';
import { openCorrectForm, openRetractForm } from '../ui/lineage-forms.ts';
import type { Shell } from '../ui/shell.ts';
import { wireDropImport } from './drop-import.ts';

export interface EditingDeps {
  /** The live items (the stream list, and what a correction starts from). */
  liveItems(): ReadonlyMap<string, TimelineItem>;
  /** Selects an item once it is on the timeline (an added event arrives through the live stream). */
  selectWhenShown(itemId: string): void;
  /** Redraws the detail panel (its actions follow the sign-in). */
  redrawDetail(): void;
  /** Shows a problem in the page's error banner. */
  showError(message: string): void;
}

/**
 * Wires editing: the write session (the token, in memory only), the header's controls, the forms and
 * the writes. What a write changes comes back through the live stream like anyone else's write, so
 * nothing here touches the timeline.
 */
export class Editing {
  private readonly session = new WriteSession();
  private readonly dialog: EditDialog;
  private readonly controls: EditControls;

  constructor(
    shell: Shell,
    private readonly deps: EditingDeps,
  ) {
    this.dialog = new EditDialog(shell.dialogHost);
    this.controls = new EditControls(this.dialog, {
      signIn: async (token) => {
        const accepted = await checkWriteToken(token);
        if (accepted) this.session.signIn(token);
        return accepted;
      },
      signOut: () => this.session.signOut(),
      add: () => this.openAdd(),
    });
    shell.editSlot.append(this.controls.root);
    this.session.onChange(() => {
      this.controls.setSignedIn(this.session.signedIn);
      if (!this.session.signedIn) this.dialog.close();
      deps.redrawDetail();
    });
    wireDropImport(document, {
      canImport: () => this.session.signedIn,
      open: (fileName, text) =>
        openImportDialog(this.dialog, fileName, text, {
          append: async (streamId, events) => {
            await write(this.session, { kind: 'append-many', streamId, events });
          },
        }),
      refuse: (message) => deps.showError(message),
    });
  }

  /** Points the export links at the state shown: live, or the knowledge time of a replay. */
  showingAsOf(mode: Mode, asOf: string | undefined): void {
    this.controls.setExportAsOf(mode === 'live' ? undefined : asOf);
  }

  detailActions(): DetailActions {
    return {
      canEdit: this.session.signedIn,
      permalink: (itemId) => permalink(location, itemId),
      onCorrect: (item) =>
        openCorrectForm(this.dialog, this.current(item), async (correction) => {
          await write(this.session, { kind: 'correct', eventId: item.id, correction });
        }),
      onRetract: (item) =>
        openRetractForm(this.dialog, item, async (reason) => {
          await write(this.session, { kind: 'retract', eventId: item.id, reason });
        }),
    };
  }

  private openAdd(): void {
    openAddEventForm(this.dialog, {
      // Every stream the API knows; failing that, the streams of the items on the timeline.
      streams: () =>
        fetchStreamIds().catch(() =>
          [...new Set([...this.deps.liveItems().values()].map((i) => i.streamId))].sort(),
        ),
      send: async (streamId: string, event: NewEvent) => {
        const answer = await write(this.session, { kind: 'append', streamId, event });
        const id = answer.events[0]?.eventId;
        if (id) this.deps.selectWhenShown(id);
      },
    });
  }

  /** The item as it stands now: the panel may show an older state while the live one moved on. */
  private current(item: TimelineItem): TimelineItem {
    return this.deps.liveItems().get(item.id) ?? item;
  }
}
