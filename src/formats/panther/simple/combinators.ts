// Combinators (§7) and list comprehension (§8) over compiled predicates.
// A predicate gets the current root `x` (the event, or a list element inside a comprehension)
// and the event `ev` (enrichment data is always read from the event).

export type Pred = (x: unknown, ev: unknown) => boolean;

export type Combinator = 'All' | 'Any' | 'OnlyOne' | 'None';
export const COMBINATORS: readonly Combinator[] = ['All', 'Any', 'OnlyOne', 'None'];

export const TRUE: Pred = () => true;
export const FALSE: Pred = () => false;

export function all(ps: Pred[]): Pred {
  switch (ps.length) {
    case 0:
      return TRUE;
    case 1:
      return ps[0];
    case 2: {
      const [a, b] = ps;
      return (x, ev) => a(x, ev) && b(x, ev);
    }
    default:
      return (x, ev) => {
        for (let i = 0; i < ps.length; i++) if (!ps[i](x, ev)) return false;
        return true;
      };
  }
}

/** `emptyValue`: false in Detection, true in InlineFilters (an empty filter node is a no-op). */
export function any(ps: Pred[], emptyValue = false): Pred {
  switch (ps.length) {
    case 0:
      return emptyValue ? TRUE : FALSE;
    case 1:
      return ps[0];
    case 2: {
      const [a, b] = ps;
      return (x, ev) => a(x, ev) || b(x, ev);
    }
    default:
      return (x, ev) => {
        for (let i = 0; i < ps.length; i++) if (ps[i](x, ev)) return true;
        return false;
      };
  }
}

export function onlyOne(ps: Pred[]): Pred {
  if (ps.length === 0) return FALSE;
  return (x, ev) => {
    let n = 0;
    for (let i = 0; i < ps.length; i++) if (ps[i](x, ev) && ++n > 1) return false;
    return n === 1;
  };
}

export function none(ps: Pred[]): Pred {
  if (ps.length === 0) return TRUE;
  const some = any(ps);
  return (x, ev) => !some(x, ev);
}

export function combine(kind: Combinator, ps: Pred[], filter: boolean): Pred {
  switch (kind) {
    case 'All':
      return all(ps);
    case 'Any':
      return any(ps, filter);
    case 'OnlyOne':
      return onlyOne(ps);
    case 'None':
      return none(ps);
  }
}

export type Comprehension = 'AnyElement' | 'AllElements' | 'OnlyOneElement' | 'NoElement';

/** §8: elements are tested against `each` (relative to the element); non-list targets per the table. */
export function comprehension(kind: Comprehension, list: (x: unknown, ev: unknown) => unknown, each: Pred): Pred {
  switch (kind) {
    case 'AnyElement':
      return (x, ev) => {
        const arr = list(x, ev);
        if (!Array.isArray(arr)) return false;
        for (let i = 0; i < arr.length; i++) if (each(arr[i], ev)) return true;
        return false;
      };
    case 'AllElements':
      return (x, ev) => {
        const arr = list(x, ev);
        if (!Array.isArray(arr)) return false;
        for (let i = 0; i < arr.length; i++) if (!each(arr[i], ev)) return false;
        return true;
      };
    case 'OnlyOneElement':
      return (x, ev) => {
        const arr = list(x, ev);
        if (!Array.isArray(arr)) return false;
        let n = 0;
        for (let i = 0; i < arr.length; i++) if (each(arr[i], ev) && ++n > 1) return false;
        return n === 1;
      };
    case 'NoElement':
      return (x, ev) => {
        const arr = list(x, ev);
        if (!Array.isArray(arr)) return true;
        for (let i = 0; i < arr.length; i++) if (each(arr[i], ev)) return false;
        return true;
      };
  }
}
