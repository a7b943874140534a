/**
 * A copy of `s` that shares no memory with the string it was cut from.
 *
 * V8 keeps a cut of 13 characters or more (`slice`, `substring`, `split`, a
 * regular expression's match) as a view of the whole string it was cut from,
 * and a concatenation as the pair of its parts. A 300-character excerpt of a
 * 100 KB tool result kept in a card would keep the whole result alive, and
 * a session of 100 MB held ~40% of its memory that way (measured with a heap
 * snapshot). Strings a card or a reader keeps for long go through here.
 *
 * How: a string concatenated to a one-character prefix is a pair; cutting
 * the prefix off flattens the pair into a new string of its own characters
 * (one byte a character where they all fit), of which the result is a view.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1)
}
