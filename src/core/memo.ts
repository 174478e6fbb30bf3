/**
 * The value cached under `key`, created on first use. Sessions hand out one observable per argument this way, so
 * an element asking on every render gets the same stream and does not resubscribe.
 */
export function memo<V>(cache: Map<string, V>, key: string, create: () => V): V {
  let value = cache.get(key);
  if (value === undefined) cache.set(key, (value = create()));
  return value;
}
