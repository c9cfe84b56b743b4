// How an idle worker learns that traces completed, without waiting for its next poll: writers in
// its own process signal it after they commit (notifyCommitted); commits by any other process
// (or another connection) show as a new PRAGMA data_version, which costs a read of SQLite's
// shared-memory header, so it is checked every few ms. The poll interval stays the fallback.
import type Database from "better-sqlite3";

/** How often an idle worker looks at data_version (ms): the lag a cross-process commit waits at most. */
export const WATCH_MS = 5;

const listeners = new Set<() => void>();
const versions = new WeakMap<Database.Database, Database.Statement>();

/** Called by a writer after its transaction committed work the engine may want (completed traces). */
export function notifyCommitted(): void {
  for (const l of listeners) l();
}

/**
 * Resolves when another connection committed to `db`, this process signalled a commit, `ms`
 * passed, or `signal` aborted; also when `extra` settles (a judge slot freeing up).
 * data_version is per connection and ignores the connection's own commits: exactly the ones the
 * worker need not be told about.
 */
export function waitForCommit(db: Database.Database, ms: number, signal: AbortSignal, extra?: Promise<unknown>): Promise<void> {
  let version = versions.get(db);
  if (!version) versions.set(db, (version = db.prepare("PRAGMA data_version").pluck()));
  const start = version.get();
  return new Promise<void>((resolve) => {
    const deadline = Date.now() + ms;
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(timer);
      listeners.delete(done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const check = () => {
      if (signal.aborted || Date.now() >= deadline || version!.get() !== start) return done();
      timer = setTimeout(check, Math.min(WATCH_MS, Math.max(0, deadline - Date.now())));
    };
    listeners.add(done);
    signal.addEventListener("abort", done, { once: true });
    void extra?.then(done, done);
    check();
  });
}
