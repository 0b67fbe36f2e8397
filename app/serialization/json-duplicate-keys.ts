/**
 * Duplicate keys in a JSON text. JSON.parse keeps the last of them without a word, so a file
 * naming a tensor twice would load whichever came last; the safetensors format refuses such a
 * header, and so do we.
 */

interface Container {
  /** The keys seen so far, for an object; undefined for an array. */
  keys?: Set<string>;
  /** The keys leading from the top-level value to this container. */
  path: string[];
  /** The key whose value is being read (objects only). */
  current?: string;
}

/**
 * The first key that appears twice in one object of `text`, with the keys leading to that
 * object (empty for the top level); undefined when there is none. `text` must already be valid
 * JSON (JSON.parse it first): this only walks its strings and brackets.
 */
export function firstDuplicateKey(text: string): { key: string; path: string[] } | undefined {
  const open: Container[] = [];
  let expectingKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = open.at(-1);
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (expectingKey && top?.keys) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(key)) return { key, path: top.path };
        top.keys.add(key);
        top.current = key;
        expectingKey = false;
      }
      i = end;
    } else if (c === '{' || c === '[') {
      const path = top ? [...top.path, top.keys ? (top.current ?? '') : '[]'] : [];
      open.push(c === '{' ? { keys: new Set(), path } : { path });
      expectingKey = c === '{';
    } else if (c === '}' || c === ']') {
      open.pop();
    } else if (c === ',') {
      expectingKey = top?.keys !== undefined;
    }
  }
  return undefined;
}
