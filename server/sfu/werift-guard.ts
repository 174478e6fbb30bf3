// The guard every werift patch uses: fail at start-up, loudly, when a werift upgrade moved what it patches.

/** Throws unless `target[name]` is a function. */
export function requireMethod(target: object, name: string, where: string): void {
  if (typeof (target as Record<string, unknown>)[name] !== 'function') {
    throw new Error(`werift changed: ${where}.${name} is gone; review the server/sfu/werift-*.ts files`);
  }
}
