/** Escaping for text placed in SVG (XML) documents. */
import {safeLine} from './control.js'

/** `text` as XML character data or an attribute value: markup escaped, control characters (invalid in XML 1.0) removed. */
export function escapeXml(text: string): string {
  return safeLine(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
