/** A MySQL identifier, always quoted with backticks. */
export function quoteMy(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

export function myColumnList(columns: readonly string[]): string {
  return columns.map(quoteMy).join(', ');
}
