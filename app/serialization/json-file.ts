/**
 * Node-only: a JSON file read whole, but never more than a stated size — only a regular file
 * (regular-file.ts: a FIFO or /dev/zero is refused at once), its size checked before a byte is
 * read. Every error names the file: not UTF-8, not JSON (with JSON.parse's reason), or a key given
 * twice in one object (JSON.parse would keep the last without a word).
 */
import { readExactly, withRegularFile } from './regular-file';
import { firstDuplicateKey } from './json-duplicate-keys';

const where = 'readJsonFile';

/** @param maxBytes the largest file read; a larger one is refused unread */
export function readJsonFile(path: string, maxBytes: number): unknown {
  const bytes = withRegularFile(where, path, (file) => {
    if (file.size > maxBytes)
      throw new Error(`${where}: ${path} holds ${file.size} bytes, more than the ${maxBytes} a file of this kind may have`);
    return readExactly(file, 0, file.size);
  });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${where}: ${path} is not UTF-8 text`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where}: ${path} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const duplicate = firstDuplicateKey(text);
  if (duplicate !== undefined)
    throw new Error(
      `${where}: ${path} gives the key ${JSON.stringify(duplicate.key)} twice in ${duplicate.path.length ? duplicate.path.join('.') : 'its top-level object'}`,
    );
  return value;
}
