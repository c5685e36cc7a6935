// json (not jsonb) keeps its text as entered, and its operators return pieces of that text
// verbatim (`'{"a": {"b":  1}}'::json -> 'a'` is `{"b":  1}`). This scanner finds the pieces.
// Input is already valid JSON (json_in checked it).

export type JsonSpan =
  | { kind: 'object'; text: string; fields: [string, JsonSpan][] }
  | { kind: 'array'; text: string; items: JsonSpan[] }
  | { kind: 'string'; text: string; value: string }
  | { kind: 'number' | 'true' | 'false' | 'null'; text: string };

export function scanJson(text: string): JsonSpan {
  let position = 0;
  const skipSpace = () => {
    while (position < text.length && ' \t\n\r'.includes(text[position]!)) position++;
  };
  const readString = (): string => {
    // JSON string escapes are JS string-literal compatible.
    const start = position;
    position++;
    while (text[position] !== '"') position += text[position] === '\\' ? 2 : 1;
    position++;
    return JSON.parse(text.slice(start, position)) as string;
  };
  const value = (): JsonSpan => {
    skipSpace();
    const start = position;
    const c = text[position];
    if (c === '{') {
      position++;
      const fields: [string, JsonSpan][] = [];
      skipSpace();
      if (text[position] === '}') position++;
      else {
        for (;;) {
          skipSpace();
          const key = readString();
          skipSpace();
          position++; // ':'
          fields.push([key, value()]);
          skipSpace();
          if (text[position++] === '}') break;
        }
      }
      return { kind: 'object', text: text.slice(start, position), fields };
    }
    if (c === '[') {
      position++;
      const items: JsonSpan[] = [];
      skipSpace();
      if (text[position] === ']') position++;
      else {
        for (;;) {
          items.push(value());
          skipSpace();
          if (text[position++] === ']') break;
        }
      }
      return { kind: 'array', text: text.slice(start, position), items };
    }
    if (c === '"') {
      const parsed = readString();
      return { kind: 'string', text: text.slice(start, position), value: parsed };
    }
    for (const literal of ['true', 'false', 'null'] as const) {
      if (text.startsWith(literal, position)) {
        position += literal.length;
        return { kind: literal, text: literal };
      }
    }
    while (position < text.length && /[-+0-9.eE]/.test(text[position]!)) position++;
    return { kind: 'number', text: text.slice(start, position) };
  };
  return value();
}

/** json -> key: the last field of that name wins, as in PostgreSQL. */
export function spanField(span: JsonSpan, key: string): JsonSpan | undefined {
  if (span.kind !== 'object') return undefined;
  let found: JsonSpan | undefined;
  for (const [name, value] of span.fields) if (name === key) found = value;
  return found;
}

export function spanElement(span: JsonSpan, index: number): JsonSpan | undefined {
  if (span.kind !== 'array') return undefined;
  const position = index < 0 ? span.items.length + index : index;
  return span.items[position];
}

/** ->> on json: strings unescaped, JSON null is SQL NULL, anything else its text. */
export function spanAsText(span: JsonSpan): string | null {
  if (span.kind === 'string') return span.value;
  if (span.kind === 'null') return null;
  return span.text;
}
