import { createInterface } from 'node:readline';

/**
 * One line from stdin, for secrets (API keys): on a terminal, after `prompt` on stderr and without
 * echoing what is typed; from a pipe, its first line. Trailing whitespace is dropped.
 */
export async function readSecretLine(
  input: NodeJS.ReadStream,
  prompt?: string,
  output: NodeJS.WriteStream = process.stderr,
): Promise<string> {
  if (input.isTTY && prompt) return readHidden(input, prompt, output);
  const lines = createInterface({ input, terminal: false });
  try {
    for await (const line of lines) return line.trim();
    return '';
  } finally {
    lines.close();
  }
}

function readHidden(input: NodeJS.ReadStream, prompt: string, output: NodeJS.WriteStream): Promise<string> {
  output.write(prompt);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  let typed = '';
  return new Promise((resolve, reject) => {
    const finish = (error?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      output.write('\n');
      if (error) reject(error);
      else resolve(typed.trim());
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === '\r' || character === '\n') return finish();
        // Ctrl-C and Ctrl-D end the prompt without a key.
        if (character === '\u0003' || character === '\u0004') {
          typed = '';
          return finish();
        }
        if (character === '\u007f' || character === '\b') typed = typed.slice(0, -1);
        else typed += character;
      }
    };
    input.on('data', onData);
  });
}
