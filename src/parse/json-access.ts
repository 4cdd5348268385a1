/**
 * Safe readers for attacker-supplied JSON. They only look at own properties, so a
 * record carrying `__proto__` or `constructor` keys cannot make us read inherited values.
 */
export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : null;
}

export function own(object: JsonObject | null | undefined, key: string): unknown {
  if (!object || !Object.prototype.hasOwnProperty.call(object, key)) return undefined;
  return object[key];
}

export function child(object: JsonObject | null | undefined, ...path: string[]): unknown {
  let current: unknown = object;
  for (const key of path) {
    current = own(asObject(current), key);
    if (current === undefined) return undefined;
  }
  return current;
}

export function childObject(object: JsonObject | null | undefined, ...path: string[]): JsonObject | null {
  return asObject(child(object, ...path));
}

/** A scalar as text: strings as they are, numbers and booleans spelled out (SIEM exports drift types). */
export function text(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

export function childText(object: JsonObject | null | undefined, ...path: string[]): string | null {
  return text(child(object, ...path));
}

/** `environmentName` → `EnvironmentName`: AWS logs some services' parameters in camelCase, others in PascalCase. */
export function pascalCase(key: string): string {
  return key === '' ? key : key[0]!.toUpperCase() + key.slice(1);
}

export function childArray(object: JsonObject | null | undefined, ...path: string[]): unknown[] {
  const value = child(object, ...path);
  return Array.isArray(value) ? value : [];
}

export function flag(value: unknown): number | null {
  if (value === true) return 1;
  if (value === false) return 0;
  if (typeof value === 'string') {
    const lowered = value.trim().toLowerCase();
    if (lowered === 'true' || lowered === 'yes') return 1;
    if (lowered === 'false' || lowered === 'no') return 0;
  }
  return null;
}

/** Depth of nested arrays/objects, computed without recursion so a hostile record cannot blow the stack. */
export function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const values: unknown[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const current = values.pop() as object;
    const depth = depths.pop()!;
    if (depth > deepest) {
      deepest = depth;
      if (deepest > limit) return deepest;
    }
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i += 1) {
        const inner: unknown = current[i];
        if (inner !== null && typeof inner === 'object') {
          values.push(inner);
          depths.push(depth + 1);
        }
      }
    } else {
      for (const key in current) {
        const inner: unknown = (current as Record<string, unknown>)[key];
        if (inner !== null && typeof inner === 'object') {
          values.push(inner);
          depths.push(depth + 1);
        }
      }
    }
  }
  return deepest;
}
