/**
 * A small writer for CI request bodies. It never writes an empty element: an element whose
 * children are all absent is left out, so the body states no value the caller did not give.
 */

const entities: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "\"": "&quot;",
  "'": "&apos;",
  // A literal carriage return would reach CI as a line feed after XML line-end normalization.
  "\r": "&#xD;"
}

/** @internal */
export const escapeText = (text: string): string => text.replace(/[&<>"'\r]/g, (character) => entities[character])

/**
 * Writes `<name>text</name>`, or nothing when the text is absent. The text is escaped here.
 *
 * @internal
 */
export const textElement = (name: string, text: string | undefined): string =>
  text === undefined ? "" : `<${name}>${escapeText(text)}</${name}>`

/**
 * Writes `<name>` around already written children, or nothing when there are none.
 *
 * @internal
 */
export const parentElement = (name: string, children: ReadonlyArray<string>): string => {
  const content = children.join("")
  return content === "" ? "" : `<${name}>${content}</${name}>`
}
