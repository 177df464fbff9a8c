// A streamed HTTP body (the app's readiness stream, etcd's watch) read one line at a time, as it
// arrives. `onLine` gets each line trimmed, empty ones included; returning false stops reading.
export async function readLines(body: AsyncIterable<unknown>, onLine: (line: string) => boolean | void): Promise<'ended' | 'stopped'> {
  let buf = '';
  for await (const chunk of body) {
    buf += (chunk as Buffer).toString('utf8');
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (onLine(line) === false) return 'stopped';
    }
  }
  return 'ended';
}
