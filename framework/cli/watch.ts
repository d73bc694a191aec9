/** Folder watches for `vitrine serve --reload`: folders, not files, so saves that rename a new file over the old one are seen. */

// On Linux a file watch follows the inode, and an editor that saves by renaming a new file over the
// old one (vim, JetBrains' safe write, `sed -i`) leaves it watching a file that no longer exists —
// measured with Node 24, the second such save was missed.
import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Folders never watched: installed packages, build output, and hidden ones (.git, editors' caches). */
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'coverage']);

/**
 * Watches folders (one level, or a whole tree that grows as subfolders appear) and reports the
 * path of every entry that changes; the caller decides which changes matter.
 *
 * @example
 * const watcher = new FolderWatcher((path) => console.log(path, 'changed'));
 * await watcher.addTree('/home/me/demo');
 */
export class FolderWatcher {
  readonly #watchers = new Map<string, FSWatcher>();
  /** Folders asked for, watched or about to be: many files of one folder arrive at once. */
  readonly #asked = new Set<string>();
  #closed = false;
  readonly #onChange: (path: string) => void;

  constructor(onChange: (path: string) => void) {
    this.#onChange = onChange;
  }

  /** Watches `dir` and its subfolders (but not installed packages, build output or hidden folders). */
  async addTree(dir: string): Promise<void> {
    if (!(await this.#watch(dir, true))) return;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    await Promise.all(entries.filter((e) => e.isDirectory() && !skipped(e.name)).map((e) => this.addTree(join(dir, e.name))));
  }

  /** Watches `dir` alone, once. */
  async addFolder(dir: string): Promise<void> {
    await this.#watch(dir, false);
  }

  close(): void {
    this.#closed = true;
    for (const w of this.#watchers.values()) w.close();
    this.#watchers.clear();
  }

  async #watch(dir: string, tree: boolean): Promise<boolean> {
    if (this.#asked.has(dir)) return false;
    this.#asked.add(dir);
    if (!(await stat(dir).then((s) => s.isDirectory(), () => false)) || this.#closed) {
      this.#asked.delete(dir);
      return false;
    }
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, (_event, name) => {
        if (name === null) return;
        const path = join(dir, name);
        this.#onChange(path);
        if (tree && !skipped(name)) void this.addTree(path); // perhaps a new subfolder
      });
    } catch {
      this.#asked.delete(dir);
      return false; // gone already
    }
    watcher.on('error', () => {
      watcher.close();
      this.#watchers.delete(dir);
      this.#asked.delete(dir);
    });
    this.#watchers.set(dir, watcher);
    return true;
  }
}

function skipped(name: string): boolean {
  return name.startsWith('.') || SKIPPED_FOLDERS.has(name);
}
