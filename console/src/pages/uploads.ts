/** The upload queue of the objects page: one entry per file, with its own progress and cancel. */
import { useRef, useState } from 'preact/hooks';
import { errorText, isAbort } from '../api/errors';
import type { DataPlane } from '../api/s3';

export interface UploadItem {
  id: number;
  key: string;
  size: number;
  loaded: number;
  state: 'uploading' | 'done' | 'failed' | 'cancelled';
  error?: string;
  cancel: () => void;
}

/** A file and the path under the current prefix it goes to (folders keep their structure). */
export interface PickedFile {
  file: File;
  path: string;
}

const MAX_FOLDER_FILES = 10_000;
const MAX_PARALLEL_FILES = 3;

export function useUploads(onFinished: () => void) {
  const [items, setItems] = useState<UploadItem[]>([]);
  const nextId = useRef(0);
  const update = (id: number, patch: Partial<UploadItem>): void =>
    setItems((list) => list.map((it) => (it.id === id ? { ...it, ...patch } : it)));

  const start = async (plane: DataPlane, bucket: string, prefix: string, files: PickedFile[]): Promise<void> => {
    const queue = files.map((f) => {
      const id = nextId.current++;
      return { id, f, cancelled: false, cancel: () => {} };
    });
    setItems((list) => [
      ...list.filter((it) => it.state === 'uploading'),
      ...queue.map((q) => ({
        id: q.id,
        key: prefix + q.f.path,
        size: q.f.file.size,
        loaded: 0,
        state: 'uploading' as const,
        cancel: () => {
          q.cancelled = true;
          q.cancel();
          update(q.id, { state: 'cancelled' });
        },
      })),
    ]);
    let at = 0;
    const worker = async (): Promise<void> => {
      while (at < queue.length) {
        const q = queue[at++];
        if (q.cancelled) continue;
        const up = plane.upload(bucket, prefix + q.f.path, q.f.file, (loaded) =>
          update(q.id, { loaded: Math.min(loaded, q.f.file.size) }),
        );
        q.cancel = () => void up.abort();
        try {
          await up.done();
          update(q.id, { state: 'done', loaded: q.f.file.size });
        } catch (err) {
          if (q.cancelled || isAbort(err)) update(q.id, { state: 'cancelled' });
          else update(q.id, { state: 'failed', error: errorText(err) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(MAX_PARALLEL_FILES, queue.length) }, worker));
    onFinished();
  };

  const clearFinished = (): void => setItems((list) => list.filter((it) => it.state === 'uploading'));
  return { items, start, clearFinished };
}

/** Files from an <input type=file> (a folder picker gives webkitRelativePath). */
export function pickedFromInput(files: FileList): PickedFile[] {
  return Array.from(files).map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}

/** Files and folders dropped on the page, folders walked (bounded) so their structure is kept. */
export async function pickedFromDrop(dt: DataTransfer): Promise<PickedFile[]> {
  const entries = Array.from(dt.items)
    .map((i) => i.webkitGetAsEntry())
    .filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) return Array.from(dt.files).map((file) => ({ file, path: file.name }));
  const out: PickedFile[] = [];
  const walk = async (entry: FileSystemEntry, path: string): Promise<void> => {
    if (out.length >= MAX_FOLDER_FILES) return;
    if (entry.isFile) {
      const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
      out.push({ file, path: path + entry.name });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (let batch = 0; batch < 1000; batch++) {
        const children = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
        if (children.length === 0) break;
        for (const c of children) await walk(c, `${path}${entry.name}/`);
      }
    }
  };
  for (const e of entries) await walk(e, '');
  return out;
}
