/** Keeps the first `maxBytes` of a byte stream and remembers whether it dropped any. */
export interface CappedSink {
  readonly push: (chunk: Buffer) => void;
  readonly text: () => string;
  readonly dropped: () => boolean;
}

export function cappedSink(maxBytes: number): CappedSink {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let droppedAny = false;
  return {
    push(chunk) {
      const room = maxBytes - keptBytes;
      if (chunk.length > room) droppedAny = true;
      if (room <= 0) return;
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      kept.push(part);
      keptBytes += part.length;
    },
    text: () => Buffer.concat(kept).toString('utf8'),
    dropped: () => droppedAny,
  };
}
