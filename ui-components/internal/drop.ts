/** Drag and drop of files onto an element: the zone's class while a file is over it, and the files dropped. */

/**
 * Handlers for a drop zone: `over` toggles a class; `drop` hands the files on.
 *
 * @example
 * const drop = dropHandlers((files) => this.take(files));
 * html`<div @dragover=${drop.over} @dragleave=${drop.leave} @drop=${drop.drop}>`;
 */
export function dropHandlers(take: (files: File[]) => void) {
  return {
    over(event: DragEvent): void {
      event.preventDefault();
      (event.currentTarget as HTMLElement).classList.add('over');
    },
    leave(event: DragEvent): void {
      (event.currentTarget as HTMLElement).classList.remove('over');
    },
    drop(event: DragEvent): void {
      event.preventDefault();
      (event.currentTarget as HTMLElement).classList.remove('over');
      const files = [...(event.dataTransfer?.files ?? [])];
      if (files.length > 0) take(files);
    },
  };
}
